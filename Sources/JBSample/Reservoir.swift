/// A record's place in the random order: its seeded priority, then its input position
/// (which only matters for two records with the same priority, i.e. the same id).
struct SampleKey: Comparable, Sendable {
    var priority: UInt64
    var seq: Int

    static func < (a: SampleKey, b: SampleKey) -> Bool {
        a.priority != b.priority ? a.priority < b.priority : a.seq < b.seq
    }
}

/// A kept record: its key, id, stratum and serialised line.
struct Entry: Sendable {
    var key: SampleKey
    var id: String
    var stratum: Int
    var line: [UInt8]
}

/// The records with the smallest keys seen so far: a max-heap, so the record to evict is on top.
struct Reservoir: Sendable {
    private(set) var heap: [Entry] = []

    var count: Int { heap.count }
    /// The largest key kept.
    var maxKey: SampleKey? { heap.first?.key }

    /// Whether a record with `key` would be kept with room for `capacity` records.
    func admits(_ key: SampleKey, capacity: Int) -> Bool {
        if heap.count < capacity { return true }
        guard let top = heap.first else { return false }
        return key < top.key
    }

    mutating func insert(_ e: Entry) {
        heap.append(e)
        var k = heap.count - 1
        while k > 0 {
            let parent = (k - 1) / 2
            if heap[parent].key < heap[k].key {
                heap.swapAt(parent, k)
                k = parent
            } else {
                break
            }
        }
    }

    /// Removes and returns the record with the largest key.
    mutating func popMax() -> Entry {
        let top = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var k = 0
            while true {
                let l = 2 * k + 1, r = l + 1
                var largest = k
                if l < heap.count && heap[largest].key < heap[l].key { largest = l }
                if r < heap.count && heap[largest].key < heap[r].key { largest = r }
                if largest == k { break }
                heap.swapAt(k, largest)
                k = largest
            }
        }
        return top
    }

    /// Every record kept, smallest key first.
    func sorted() -> [Entry] {
        heap.sorted { $0.key < $1.key }
    }
}
