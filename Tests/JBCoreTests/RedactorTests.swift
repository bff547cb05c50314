import Testing
@testable import JBCore

@Suite struct RedactorTests {
    @Test func registeredSecretsAndKeyShapesAreMasked() {
        let r = Redactor()
        r.register("my-secret-value")
        #expect(r.redact("key=my-secret-value!") == "key=[REDACTED]!")
        #expect(r.redact("Authorization: Bearer sk-or-v1-abcdef0123456789") == "Authorization: Bearer [REDACTED]")
        #expect(r.redact("nothing here") == "nothing here")
        r.register("abc")  // too short to be a key: ignored
        #expect(r.redact("abc") == "abc")
    }

    @Test func maskNeverShowsTheValue() {
        #expect(!Redactor.mask("sk-or-secret").contains("secret"))
        #expect(Redactor.mask(nil) == "(not set)")
    }
}
