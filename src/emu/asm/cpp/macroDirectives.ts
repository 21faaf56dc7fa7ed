// #define and #undef (C11 §6.10.3, §6.10.3.5). A redefinition that differs warns as GCC does
// ("X" redefined, with a note at the previous definition) and replaces the old one; undefining
// a built-in macro warns. Owns: changes to the macro table made by directives.
// Must not know: how definitions are parsed or expanded.
import { checkMacroName, parseDefine } from './defineParser';
import { type DirectiveContext, checkEndOfLine, readRaw } from './directiveContext';
import { type MacroDefinition, sameDefinition } from './macroDefinition';
import type { PpToken } from './token';

export function runDefine(context: DirectiveContext): void {
  const macro = parseDefine(() => readRaw(context), context.diagnostics);
  if (macro) defineMacro(context, macro);
}

export function defineMacro(context: DirectiveContext, macro: MacroDefinition): void {
  if (context.poisoned.has(macro.name)) {
    context.diagnostics.error(macro.location, `attempt to use poisoned "${macro.name}"`);
    return;
  }
  const previous = context.macros.get(macro.name);
  if (previous && !sameDefinition(previous, macro)) {
    context.diagnostics.warning(macro.location, `"${macro.name}" redefined`);
    if (!previous.builtin) context.diagnostics.report({ severity: 'note', message: 'this is the location of the previous definition', location: previous.location });
  }
  context.macros.set(macro.name, macro);
}

export function runUndef(context: DirectiveContext): void {
  const name = readRaw(context);
  if (!checkMacroName(name, 'undef', context.diagnostics)) return;
  undefineMacro(context, name);
  checkEndOfLine(context, 'undef');
}

function undefineMacro(context: DirectiveContext, name: PpToken): void {
  const macro = context.macros.get(name.text);
  if (!macro) return;
  if (macro.builtin || macro.location.file === '<built-in>') context.diagnostics.warning(name.location, `undefining "${name.text}"`, name.expansion);
  context.macros.delete(name.text);
}
