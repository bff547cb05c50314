import JBCore
import Testing

@Suite struct CacheFolderTests {
    @Test func followsXDG() {
        #expect(CacheFolder.path(environment: ["XDG_CACHE_HOME": "/x/cache", "HOME": "/home/u"]) == "/x/cache/jb")
        #expect(CacheFolder.path(environment: ["XDG_CACHE_HOME": "relative", "HOME": "/home/u"]) == "/home/u/.cache/jb")
        #expect(CacheFolder.path(environment: ["XDG_CACHE_HOME": "", "HOME": "/home/u"]) == "/home/u/.cache/jb")
        #expect(CacheFolder.path(environment: ["HOME": "/home/u"]) == "/home/u/.cache/jb")
    }
}
