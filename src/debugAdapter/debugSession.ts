// The Debug Adapter Protocol session: a thin translator between DAP requests/events and the
// debug engine. Owns: capabilities, the variables-reference scheme and DAP shapes. Must not know:
// stepping policy, breakpoint resolution, the CPU (all in debugEngine.ts).
import {
  DebugSession, ExitedEvent, InitializedEvent, OutputEvent, Scope, Source, StackFrame, StoppedEvent, TerminatedEvent, Thread,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { basename } from 'node:path';
import { DebugEngine, type EngineEvent } from './debugEngine';
import { createDebugTarget, type LaunchArguments } from './launchTarget';
import { hex } from './registerView';

const THREAD_ID = 1;
const REGISTERS_SCOPE = 1;
/** Group n of the register view is variablesReference GROUP_BASE + n. */
const GROUP_BASE = 100;

interface LaunchRequestArguments extends DebugProtocol.LaunchRequestArguments, LaunchArguments {
  readonly stopOnEntry?: boolean;
}

export class LguestDebugSession extends DebugSession {
  private engine: DebugEngine | undefined;
  private stopOnEntry = false;

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsEvaluateForHovers: true,
      supportsSteppingGranularity: true,
      supportsReadMemoryRequest: true,
      supportsTerminateRequest: true,
    };
    this.sendResponse(response);
  }

  protected override launchRequest(response: DebugProtocol.LaunchResponse, args: LaunchRequestArguments): void {
    let engine: DebugEngine | undefined;
    const result = createDebugTarget(args, (byte) => engine?.serialByte(byte));
    if (!result.ok) {
      this.sendErrorResponse(response, { id: 1001, format: `cannot launch: ${result.message.replace(/[{}]/g, '')}`, showUser: true });
      return;
    }
    engine = new DebugEngine(result.target, (event) => this.onEngineEvent(event));
    this.engine = engine;
    this.stopOnEntry = args.stopOnEntry ?? false;
    this.sendResponse(response);
    this.sendEvent(new InitializedEvent());
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.sendResponse(response);
    this.engine?.start(this.stopOnEntry);
  }

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    const lines = (args.breakpoints ?? []).map((b) => b.line);
    const states = this.engine && args.source.path ? this.engine.setSourceBreakpoints(args.source.path, lines) : lines.map((line) => ({ line, verified: false, message: 'not launched' }));
    response.body = { breakpoints: states.map((s) => ({ verified: s.verified, line: s.line, ...(s.message ? { message: s.message } : {}) })) };
    this.sendResponse(response);
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: [new Thread(THREAD_ID, 'CPU 0')] };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse): void {
    const engine = this.engine;
    if (!engine) return this.sendErrorResponse(response, 1002, 'not launched');
    const where = engine.location();
    const name = where.symbol ?? hex(where.address);
    const frame = new StackFrame(0, name, where.file ? new Source(basename(where.file), where.file) : undefined, where.line ?? 0, where.column ?? 0);
    frame.instructionPointerReference = hex(where.address);
    response.body = { stackFrames: [frame], totalFrames: 1 };
    this.sendResponse(response);
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse): void {
    const scope: DebugProtocol.Scope = new Scope('Registers', REGISTERS_SCOPE, false);
    scope.presentationHint = 'registers';
    response.body = { scopes: [scope] };
    this.sendResponse(response);
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    const groups = this.engine?.registers() ?? [];
    let variables: DebugProtocol.Variable[] = [];
    if (args.variablesReference === REGISTERS_SCOPE) {
      variables = groups.map((group, i) => ({ name: group.name, value: '', variablesReference: GROUP_BASE + i }));
    } else {
      const group = groups[args.variablesReference - GROUP_BASE];
      variables = (group?.registers ?? []).map((r) => ({
        name: r.name,
        value: r.text ?? hex(r.value),
        variablesReference: 0,
        ...(r.pointer ? { memoryReference: hex(r.value) } : {}),
      }));
    }
    response.body = { variables };
    this.sendResponse(response);
  }

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    const value = this.engine?.evaluate(args.expression);
    if (value === undefined) return this.sendErrorResponse(response, 1003, `cannot evaluate '${args.expression.replace(/[{}]/g, '')}': not a register, symbol or number`);
    response.body = { result: `${hex(value)} (${value})`, variablesReference: 0, memoryReference: hex(value) };
    this.sendResponse(response);
  }

  protected override readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): void {
    const engine = this.engine;
    const base = Number(args.memoryReference) + (args.offset ?? 0);
    if (!engine || !Number.isFinite(base)) return this.sendErrorResponse(response, 1004, 'bad memory reference');
    const count = Math.max(0, Math.min(args.count, 1 << 20));
    const bytes = engine.readMemory(base >>> 0, count);
    const readable = bytes.findIndex((b) => b === undefined);
    const available = readable < 0 ? bytes.length : readable;
    response.body = {
      address: hex(base),
      ...(available < count ? { unreadableBytes: count - available } : {}),
      data: Buffer.from(bytes.slice(0, available) as number[]).toString('base64'),
    };
    this.sendResponse(response);
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    response.body = { allThreadsContinued: true };
    this.sendResponse(response);
    this.engine?.continue();
  }

  protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.sendResponse(response);
    this.engine?.step(args.granularity === 'instruction' ? 'instruction' : 'over');
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.sendResponse(response);
    this.engine?.step(args.granularity === 'instruction' ? 'instruction' : 'line');
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse): void {
    this.sendResponse(response);
    this.engine?.step('out');
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.sendResponse(response);
    this.engine?.pause();
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.engine?.pause();
    this.sendResponse(response);
    this.sendEvent(new TerminatedEvent());
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
    this.engine?.pause();
    this.engine = undefined;
    this.sendResponse(response);
  }

  private onEngineEvent(event: EngineEvent): void {
    switch (event.type) {
      case 'output':
        this.sendEvent(new OutputEvent(event.text, 'stdout'));
        break;
      case 'stopped': {
        const stopped: DebugProtocol.StoppedEvent = new StoppedEvent(event.reason, THREAD_ID);
        if (event.description) stopped.body.description = event.description;
        if (event.description) stopped.body.text = event.description;
        this.sendEvent(stopped);
        break;
      }
      case 'exited':
        this.sendEvent(new OutputEvent(`${event.description}\n`, 'console'));
        this.sendEvent(new ExitedEvent(event.exitCode));
        this.sendEvent(new TerminatedEvent());
        break;
    }
  }
}
