// The debug adapter as its own process speaking DAP on stdin/stdout: what VS Code starts when the
// extension runs the adapter out of process, and what other DAP clients (and the protocol tests) use.
import { DebugSession } from '@vscode/debugadapter';
import { LguestDebugSession } from './debugSession';

if (require.main === module) DebugSession.run(LguestDebugSession);
