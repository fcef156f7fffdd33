import DevWorkflow
import DevWorkflowWebhook
import Foundation

// Thin on purpose: parsing, the run loop and everything it calls live in DevWorkflow.
let log = Log(program: "workflowd")
let environment = ProcessEnvironment.current()
// Help and errors in the reader's language (LC_ALL, LC_MESSAGES, LANG); the log stays in English.
let language = Language.fromEnvironment(environment)
let parsed: WorkflowD.Parsed
do {
    parsed = try WorkflowD.parse(Array(CommandLine.arguments.dropFirst()), environment: environment,
                                 webhook: { WebhookChannel(url: $0, signer: $1) })
} catch let error as WorkflowError {
    FileHandle.standardError.write(Data("workflowd: error: \(TerminalText.line(error.message(in: language)))\n".utf8))
    exit(WorkflowCtl.exitCode(for: error.code))
}
if parsed.help {
    FileHandle.standardOutput.write(Data(WorkflowD.usage(language, width: Terminal.width(environment: environment, descriptor: STDOUT_FILENO)).utf8))
    exit(0)
}
if parsed.version {
    FileHandle.standardOutput.write(Data("workflowd \(WorkflowD.version)\n".utf8))
    exit(0)
}
// A log reader that goes away (`| head`, a journald restart) must not kill the daemon in the
// middle of a batch, leaving its messages leased until they are sent again: the lost lines are
// lost, the write fails with EPIPE, and the work goes on.
signal(SIGPIPE, SIG_IGN)
let stop = StopSignal()
stop.install { signal in log.info("signal", ["signal": signal == SIGTERM ? "SIGTERM" : "SIGINT"]) }
let daemon = Daemon(configuration: parsed.configuration, channels: parsed.channels, log: log, stop: stop)
exit(daemon.run())
