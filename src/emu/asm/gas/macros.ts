// GAS `.macro` definitions and their expansion: parameter lists (`name`, `name=default`,
// `name:req`, `name:vararg`), invocation arguments (positional or `name=value`, separated by commas
// or blanks, quotes stripped, a vararg taking the rest of the line) and body substitution of
// `\name`, `\()` and `\@`, keeping each character's source piece.
// Must not know: the main loop or directives. Models GAS manual §7.62 ".macro".
import type { PreprocessedLine } from '../cpp/preprocessedText';
import type { ExpansionChain, SourceLocation } from '../sourceLocation';
import { LineBuilder, type GasLine } from './gasLine';
import { isBlank, isNameChar, isNameStart, skipString } from './statementCursor';

export interface MacroParameter {
  readonly name: string;
  readonly defaultValue?: string;
  readonly required: boolean;
  readonly vararg: boolean;
}

export interface MacroDefinition {
  readonly name: string;
  readonly parameters: readonly MacroParameter[];
  readonly body: readonly PreprocessedLine[];
  readonly location: SourceLocation;
}

export class MacroTable {
  private readonly macros = new Map<string, MacroDefinition>();
  /** `\@`: the number of macro expansions so far. */
  private expansions = 0;

  lookup(name: string): MacroDefinition | undefined {
    return this.macros.size ? this.macros.get(name.toLowerCase()) : undefined;
  }

  define(definition: MacroDefinition): boolean {
    const key = definition.name.toLowerCase();
    if (this.macros.has(key)) return false;
    this.macros.set(key, definition);
    return true;
  }

  purge(name: string): boolean {
    return this.macros.delete(name.toLowerCase());
  }

  nextExpansionNumber(): number {
    return this.expansions++;
  }
}

export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string; readonly offset: number };

/** Reads one argument the way GAS does: up to a blank or comma outside quotes and brackets. */
function readArgument(text: string, at: number, end: number): { value: string; next: number } {
  if (text[at] === '"') {
    const close = skipString(text, at);
    const inner = text.slice(at + 1, Math.max(at + 1, close - 1));
    return { value: inner.replace(/\\(["\\])/g, '$1'), next: close };
  }
  let depth = 0;
  let i = at;
  while (i < end) {
    const c = text[i]!;
    if (depth === 0 && (isBlank(c) || c === ',')) break;
    if (c === '"') {
      i = skipString(text, i);
      continue;
    }
    if (c === '(' || c === '[') depth++;
    else if ((c === ')' || c === ']') && depth > 0) depth--;
    i++;
  }
  return { value: text.slice(at, i), next: i };
}

function skipSeparator(text: string, at: number, end: number): number {
  while (at < end && isBlank(text[at])) at++;
  if (at < end && text[at] === ',') at++;
  while (at < end && isBlank(text[at])) at++;
  return at;
}

/**
 * Removes blanks GAS's input scrubber would drop: a run of blanks survives (as one space) only
 * between two word characters, so `1 + 2` is one argument and `a b` two.
 */
export function scrubArguments(text: string): string {
  if (!/[ \t]/.test(text)) return text;
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === '\\' && i + 1 < text.length) out += text[++i];
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    if (!isBlank(c)) {
      out += c;
      continue;
    }
    let j = i;
    while (j < text.length && isBlank(text[j])) j++;
    const before = out[out.length - 1];
    const after = text[j];
    if (isWordChar(before) && isWordChar(after)) out += ' ';
    i = j - 1;
  }
  return out;
}

function isWordChar(c: string | undefined): boolean {
  return c !== undefined && (isNameChar(c) || c === '\\' || c === '"' || c === "'" || c === ')' || c === '(');
}

/** One parameter of a `.macro` header at `at`: `name[:req|:vararg][=default]`. */
function parseParameter(text: string, at: number, macroName: string): ParseResult<{ parameter: MacroParameter; next: number }> {
  const end = text.length;
  const start = at;
  if (!isNameStart(text[at])) return { ok: false, message: `bad macro parameter list at '${text.slice(at)}'`, offset: at };
  while (at < end && isNameChar(text[at])) at++;
  const name = text.slice(start, at);
  let qualifier: string | undefined;
  if (text[at] === ':') {
    const match = /^:(req|vararg)\b/.exec(text.slice(at));
    if (!match) return { ok: false, message: `bad qualifier for macro parameter \`${name}' of macro \`${macroName}'`, offset: at };
    qualifier = match[1];
    at += match[0].length;
  }
  while (at < end && isBlank(text[at])) at++;
  let defaultValue: string | undefined;
  if (text[at] === '=') {
    at++;
    while (at < end && isBlank(text[at])) at++;
    const read = readArgument(text, at, end);
    defaultValue = read.value;
    at = read.next;
  }
  const parameter: MacroParameter = { name, required: qualifier === 'req', vararg: qualifier === 'vararg', ...(defaultValue !== undefined ? { defaultValue } : {}) };
  return { ok: true, value: { parameter, next: at } };
}

/** Parses `.macro NAME params...` after the directive word; `text` is the rest of the statement. */
export function parseMacroHeader(text: string, location: SourceLocation): ParseResult<Omit<MacroDefinition, 'body'>> {
  let at = 0;
  const end = text.length;
  while (at < end && isBlank(text[at])) at++;
  const nameStart = at;
  while (at < end && !isBlank(text[at]) && text[at] !== ',') at++;
  const name = text.slice(nameStart, at);
  if (!name) return { ok: false, message: 'missing macro name', offset: nameStart };
  const parameters: MacroParameter[] = [];
  at = skipSeparator(text, at, end);
  while (at < end) {
    const parsed = parseParameter(text, at, name);
    if (!parsed.ok) return parsed;
    const { parameter, next } = parsed.value;
    if (parameters.some((p) => p.name === parameter.name)) return { ok: false, message: `A parameter named \`${parameter.name}' already exists for macro \`${name}'`, offset: at };
    parameters.push(parameter);
    at = skipSeparator(text, next, end);
  }
  return { ok: true, value: { name, parameters, location } };
}

/** Binds invocation arguments (the scrubbed text after the macro name) to parameters. */
export function bindArguments(macro: MacroDefinition, text: string): ParseResult<Map<string, string>> {
  const bindings = new Map<string, string>();
  let positional = 0;
  let at = 0;
  const end = text.length;
  while (at < end && isBlank(text[at])) at++;
  while (at < end) {
    const keyword = /^([A-Za-z_.][\w.$]*)=/.exec(text.slice(at, Math.min(end, at + 256)));
    const parameter = keyword ? macro.parameters.find((p) => p.name === keyword[1]) : undefined;
    if (keyword && !parameter) return { ok: false, message: `Parameter named \`${keyword[1]}' does not exist for macro \`${macro.name}'`, offset: at };
    if (keyword && parameter) {
      const read = readArgument(text, at + keyword[0].length, end);
      bindings.set(parameter.name, read.value);
      at = skipSeparator(text, read.next, end);
      continue;
    }
    while (positional < macro.parameters.length && bindings.has(macro.parameters[positional]!.name)) positional++;
    const target = macro.parameters[positional];
    if (!target) return { ok: false, message: `too many positional arguments for macro \`${macro.name}'`, offset: at };
    if (target.vararg) {
      bindings.set(target.name, text.slice(at, end));
      break;
    }
    const read = readArgument(text, at, end);
    bindings.set(target.name, read.value);
    positional++;
    at = skipSeparator(text, read.next, end);
  }
  for (const parameter of macro.parameters) {
    if (bindings.has(parameter.name) && bindings.get(parameter.name) !== '') continue;
    if (parameter.required) return { ok: false, message: `Missing value for required parameter \`${parameter.name}' of macro \`${macro.name}'`, offset: 0 };
    bindings.set(parameter.name, parameter.defaultValue ?? '');
  }
  return { ok: true, value: bindings };
}

/** Copies `line` replacing `\name` by bound values, `\()` by nothing and `\@` by `expansionNumber`. */
export function substituteLine(line: PreprocessedLine, bindings: ReadonlyMap<string, string>, expansionNumber: number | undefined, frames: ExpansionChain): GasLine {
  const text = line.text;
  if (text.indexOf('\\') < 0) return { text, pieces: line.pieces, location: line.location, frames };
  const builder = new LineBuilder(line);
  let copied = 0;
  let i = text.indexOf('\\');
  while (i >= 0 && i < text.length) {
    const next = text[i + 1];
    let replaced: { value: string; end: number } | undefined;
    if (next === '(' && text[i + 2] === ')') replaced = { value: '', end: i + 3 };
    else if (next === '@' && expansionNumber !== undefined) replaced = { value: String(expansionNumber), end: i + 2 };
    else if (isNameStart(next) || (next !== undefined && /[0-9]/.test(next))) {
      let j = i + 1;
      while (j < text.length && isNameChar(text[j])) j++;
      const value = bindings.get(text.slice(i + 1, j));
      if (value !== undefined) replaced = { value, end: j };
    }
    if (replaced) {
      builder.copy(copied, i);
      builder.insert(replaced.value, i);
      copied = replaced.end;
      i = text.indexOf('\\', replaced.end);
    } else {
      i = text.indexOf('\\', i + (next === '\\' ? 2 : 1));
    }
  }
  builder.copy(copied, text.length);
  return builder.build(frames);
}
