// The preprocessor's mode switches, shared by the token source, the macro expander and the
// directives (GCC cpplib's `pfile->state`). Owns: nothing but these flags. Must not know: anything.

export class CppState {
  /** 0: not collecting; 1: looking for the `(` after a function-like macro name; 2: collecting. */
  parsingArgs: 0 | 1 | 2 = 0;
  /** Above zero while macro names must not expand (argument collection, `defined X`). */
  preventExpansion = 0;
  /** Reading a directive: the token source stops at the end of the logical line. */
  inDirective = false;
  /** Inside a conditional group whose condition failed: only directives are looked at. */
  skipping = false;
  /** Lex `<...>` as one header name (after `#include` and in `__has_include`). */
  angledHeaders = false;
}
