import DevWorkflow
import Foundation

// Thin on purpose: everything workflowctl does lives in DevWorkflow's CLI folder.
let status = WorkflowCtl.run(Array(CommandLine.arguments.dropFirst()),
                             out: TextOutput(descriptor: STDOUT_FILENO), err: TextOutput(descriptor: STDERR_FILENO))
exit(status)
