// The `##` operator (C11 §6.10.3.3; GCC's paste_all_tokens/paste_tokens): joins the spelling of
// two tokens and re-lexes it, which must give exactly one token. GCC reports no error for an
// invalid paste in assembler-with-cpp mode and keeps both tokens; we do the same but warn.
// Owns: pasting a run of PASTE_LEFT tokens. Must not know: macros, contexts beyond a token list.
import type { DiagnosticSink } from '../diagnostics';
import { isSingleToken } from './scanner';
import { PpToken } from './token';

/** A token list being read, as the expander's contexts are. */
export interface TokenCursor {
  readonly tokens: readonly PpToken[];
  pos: number;
}

/**
 * Pastes `lhs` (already taken from `cursor`, flagged pasteLeft) with the tokens that follow it
 * while they are flagged too. On an invalid paste the right operand is left unread.
 */
export function pasteAll(cursor: TokenCursor, lhs: PpToken, diagnostics: DiagnosticSink): PpToken {
  let result = lhs;
  for (;;) {
    const rhs = cursor.tokens[cursor.pos];
    if (!rhs || rhs.kind === 'eof') break;
    cursor.pos++;
    if (rhs.kind === 'padding') break; // GCC drops it and stops pasting
    const pasted = pasteTwo(result, rhs);
    if (!pasted) {
      cursor.pos--;
      diagnostics.warning(result.location, `pasting "${result.text}" and "${rhs.text}" does not give a valid preprocessing token`, result.expansion);
      break;
    }
    result = pasted;
    if (!rhs.pasteLeft) break;
  }
  return result === lhs ? withoutPasteFlag(lhs) : result;
}

function pasteTwo(lhs: PpToken, rhs: PpToken): PpToken | undefined {
  // GCC keeps `/` `/` from becoming a comment by putting a space between them.
  const text = lhs.text + (lhs.is('/') && !rhs.is('=') ? ' ' : '') + rhs.text;
  const scanned = isSingleToken(text);
  if (!scanned) return undefined;
  const pasted = new PpToken(scanned.kind, text, lhs.location, lhs.expansion);
  pasted.prevWhite = lhs.prevWhite;
  return pasted;
}

function withoutPasteFlag(token: PpToken): PpToken {
  const copy = new PpToken(token.kind, token.text, token.location, token.expansion);
  copy.prevWhite = token.prevWhite;
  copy.noExpand = token.noExpand;
  return copy;
}
