import DevWorkflow
import DevWorkflowWebhook
import Foundation

// Thin on purpose: parsing, the run loop and everything it calls live in DevWorkflow.
let log = Log(program: "workflowd")
let parsed: WorkflowD.Parsed
do {
    parsed = try WorkflowD.parse(Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment,
                                 webhook: { WebhookChannel(url: $0, signer: $1) })
} catch let error as WorkflowError {
    FileHandle.standardError.write(Data("workflowd: error: \(error.message)\n".utf8))
    exit(error.code == .usage ? 64 : 69)
}
if parsed.help {
    FileHandle.standardOutput.write(Data(WorkflowD.usage.utf8))
    exit(0)
}
let stop = StopSignal()
stop.install { signal in log.info("signal", ["signal": signal == SIGTERM ? "SIGTERM" : "SIGINT"]) }
let daemon = Daemon(configuration: parsed.configuration, channels: parsed.channels, log: log, stop: stop)
exit(daemon.run())
