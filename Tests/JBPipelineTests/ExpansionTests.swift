import JBPipeline
import Testing

@Suite struct ExpansionTests {
    let env = ["HOME": "/home/u", "EMPTY": "", "N": "50"]

    @Test func expandsVariablesAndDefaults() throws {
        #expect(try EnvironmentExpansion.expand("${HOME}/x", environment: env) == "/home/u/x")
        #expect(try EnvironmentExpansion.expand("n=${N:-10}", environment: env) == "n=50")
        #expect(try EnvironmentExpansion.expand("${MISSING:-runs/demo/latest}", environment: env) == "runs/demo/latest")
        #expect(try EnvironmentExpansion.expand("${EMPTY:-fallback}", environment: env) == "fallback")
        #expect(try EnvironmentExpansion.expand("${EMPTY}", environment: env) == "")
    }

    @Test func keepsDollarsThatAreNotVariables() throws {
        #expect(try EnvironmentExpansion.expand("$2,000 and $$HOME", environment: env) == "$2,000 and $HOME")
        #expect(try EnvironmentExpansion.expand("price $", environment: env) == "price $")
    }

    @Test func unsetVariableIsAnErrorAtItsDollar() {
        #expect(throws: EnvironmentExpansion.Failure(
            message: "environment variable OPENROUTER_API_KEY is not set (write ${OPENROUTER_API_KEY:-default} to give a default)",
            offset: 4)) {
            try EnvironmentExpansion.expand("key=${OPENROUTER_API_KEY}", environment: env)
        }
        #expect(throws: EnvironmentExpansion.Failure.self) { try EnvironmentExpansion.expand("${HOME", environment: env) }
        #expect(throws: EnvironmentExpansion.Failure.self) { try EnvironmentExpansion.expand("${1X}", environment: env) }
    }

    @Test func findsAndSubstitutesReferences() {
        #expect(References.names(in: "{{run}}/x and {{ grade }}") == ["run", "grade"])
        #expect(References.substitute("{{run}}/run.json", { $0 == "run" ? "runs/d/1" : "?" }) == "runs/d/1/run.json")
        #expect(References.substitute("no refs", { _ in "x" }) == "no refs")
    }
}
