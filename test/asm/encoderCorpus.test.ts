// Differential test of the encoder against GNU as 2.40 (`as --32`): a corpus generated from the
// instruction table (every emittable row x GNU as spellings x suffixes x representative operands x
// prefixes) is assembled once by GNU as and encoded by us; acceptance, bytes and relocations must
// agree for every statement. The same corpus runs again under .code16.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ENCODABLE_FORMS } from '../../src/emu/isa/instructionTable';
import { gnuAsSkipReason } from '../helpers/tools';
import { decode32, rowSamples } from '../isa/rowSamples';
import { generateCorpus } from './corpus/corpusGenerator';
import { compareWithGnuAs } from './corpus/differentialComparison';
import { assembleWithGnuAs, type GasOutcome } from './corpus/gnuAsReference';

/** Rows whose encoding GNU as emitted somewhere in the corpus (recognised by iced-x86's Code). */
function rowsSeenInOutput(outcomes: readonly GasOutcome[]): number {
  const codeOf = (bytes: Uint8Array) => decode32(bytes, (instruction) => instruction.code);
  const emitted = new Set<number>();
  for (const outcome of outcomes) if (outcome.ok && outcome.bytes.length > 0) emitted.add(codeOf(new Uint8Array(outcome.bytes)));
  // A WAIT-prefixed x87 form shows up as WAIT followed by its no-wait form.
  const sampleCode = (bytes: Uint8Array, prefixed: boolean) => codeOf(prefixed ? bytes.subarray(1) : bytes);
  return ENCODABLE_FORMS.filter((row) => rowSamples(row).some((sample) => emitted.has(sampleCode(sample.bytes, row.prefix !== undefined)))).length;
}

for (const codeSize of [32, 16] as const) {
  test(`the encoder matches GNU as byte for byte on the generated corpus (.code${codeSize})`, { skip: gnuAsSkipReason() }, (t) => {
    const corpus = generateCorpus();
    const outcomes = assembleWithGnuAs(corpus.map((statement) => statement.text), codeSize);
    const report = compareWithGnuAs(corpus, outcomes, codeSize);
    // Rows are recognised by decoding in 32-bit mode, so the row count is given for .code32 only.
    const rows = codeSize === 32 ? `; ${rowsSeenInOutput(outcomes)} of ${ENCODABLE_FORMS.length} emittable rows exercised` : '';
    t.diagnostic(
      `.code${codeSize}: ${report.statements} statements; ${report.comparedBytes} compared byte for byte, ${report.agreedRejections} rejected by both ` +
        `(${report.sameMessages} with GNU as's message)${rows}; ${report.mismatches.length} mismatches`,
    );
    const shown = report.mismatches.slice(0, 25).map((m) => `${m.text}\n    as:   ${m.gas}\n    ours: ${m.ours}`);
    assert.equal(report.mismatches.length, 0, shown.join('\n'));
    assert.ok(report.comparedBytes > 5000, `only ${report.comparedBytes} statements compared`);
  });
}
