import Testing
@testable import DevWorkflow

/// The refusal `body` throws, for a test to look at; an issue when it throws none, or another error.
func refusal(sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) -> WorkflowError? {
    do {
        try body()
        Issue.record("no refusal", sourceLocation: sourceLocation)
        return nil
    } catch let error as WorkflowError {
        return error
    } catch {
        Issue.record("not a WorkflowError: \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
