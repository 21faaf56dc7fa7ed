// Entry point of the C preprocessor subset that runs on `.S` files before the GNU as front end,
// as `gcc -m32 -E -x assembler-with-cpp` would (C11 §6.10 with GCC's assembler-with-cpp rules),
// keeping a source position and expansion chain for every output character.
// Owns: the public function. Must not know: anything but the contracts it returns.
import type { SourceFileSystem } from '../sourceFileSystem';
import type { PreprocessOptions, PreprocessResult } from './preprocessedText';
import { Preprocessor } from './preprocessor';

/**
 * Preprocesses `mainFile` read through `fs`. Never throws: every problem, including input too
 * deeply nested to process, is a diagnostic in the result.
 */
export function preprocess(mainFile: string, fs: SourceFileSystem, options: PreprocessOptions = {}): PreprocessResult {
  return new Preprocessor(fs, options).run(mainFile);
}
