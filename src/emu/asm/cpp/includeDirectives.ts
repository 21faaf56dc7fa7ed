// #include, #include_next and #import (C11 §6.10.2; GCC cpp manual "Include Operation",
// "Wrapper Headers", "Alternatives to Wrapper #ifndef"). The header operand may come from a
// macro (`#include FOO`). Owns: reading the directive. Must not know: the search (see
// includeResolver.ts) or the include stack (the preprocessor opens the file afterwards).
import {
  type AfterDirective,
  type DirectiveContext,
  checkEndOfLine,
  readHeaderSpec,
  readHeaderToken,
} from './directiveContext';
import type { PpToken } from './token';

export function runInclude(context: DirectiveContext, hash: PpToken, name: PpToken): AfterDirective {
  const directive = name.text;
  const header = readHeaderToken(context);
  const spec = header.kind === 'eof' ? undefined : readHeaderSpec(context, header);
  if (!spec) {
    context.diagnostics.error(header.location, `#${directive} expects "FILENAME" or <FILENAME>`, header.expansion);
    return;
  }
  if (spec.name === '') {
    context.diagnostics.error(header.location, `empty filename in #${directive}`, header.expansion);
    return;
  }
  checkEndOfLine(context, directive, true);
  let next = directive === 'include_next';
  if (next && context.source.files.length <= 1) {
    context.diagnostics.warning(name.location, '#include_next in primary source file', name.expansion);
    next = false;
  }
  if (directive === 'import') context.diagnostics.warning(name.location, '#import is a deprecated GCC extension', name.expansion);
  return () => context.includeFile(spec, hash.location, header, next, directive === 'import');
}
