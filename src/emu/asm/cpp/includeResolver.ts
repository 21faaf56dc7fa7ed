// Finding the file an #include names (C11 §6.10.2; GCC cpp manual "Search Path"). Built-in
// headers are searched first for both forms; then `"..."` looks in the including file's directory,
// then both forms in the include paths in order. #include_next continues after the path the
// current file came from. Owns: the search order and the "where did we look" description.
// Must not know: tokens, directives or the include stack.
import type { SourceFileSystem } from '../sourceFileSystem';

export const BUILTIN_PREFIX = '<builtin>/';

export interface IncludeRequest {
  readonly name: string;
  readonly angled: boolean;
  /** The file containing the directive (a path, or `<builtin>/name`). */
  readonly includer: string;
  /** For #include_next: the include path index the includer was found in (-1: none). */
  readonly nextAfter?: number;
}

export interface ResolvedInclude {
  readonly path: string;
  readonly text: string;
  /** Index in the include paths, or -1 for built-in headers and the includer's directory. */
  readonly foundInPath: number;
}

export class IncludeResolver {
  constructor(
    private readonly fs: SourceFileSystem,
    private readonly includePaths: readonly string[],
    private readonly builtinHeaders: ReadonlyMap<string, string>,
  ) {}

  resolve(request: IncludeRequest): ResolvedInclude | undefined {
    const next = request.nextAfter !== undefined;
    if (!next) {
      const builtin = this.findBuiltin(request);
      if (builtin) return builtin;
      if (!request.angled && !request.includer.startsWith(BUILTIN_PREFIX)) {
        const path = this.fs.resolve(this.fs.dirname(request.includer), request.name);
        const text = this.fs.readFile(path);
        if (text !== undefined) return { path, text, foundInPath: -1 };
      }
    }
    for (let index = next ? request.nextAfter! + 1 : 0; index < this.includePaths.length; index++) {
      const path = this.fs.resolve(this.includePaths[index]!, request.name);
      const text = this.fs.readFile(path);
      if (text !== undefined) return { path, text, foundInPath: index };
    }
    return undefined;
  }

  /** The places `resolve` looked, for the "not found" message. */
  describeSearch(request: IncludeRequest): string {
    const places: string[] = [];
    if (request.nextAfter === undefined) {
      places.push('the built-in headers');
      if (!request.angled && !request.includer.startsWith(BUILTIN_PREFIX)) places.push(this.fs.dirname(request.includer));
    }
    places.push(...this.includePaths.slice(request.nextAfter === undefined ? 0 : request.nextAfter + 1));
    return places.join(', ');
  }

  private findBuiltin(request: IncludeRequest): ResolvedInclude | undefined {
    const direct = this.builtinHeaders.get(request.name);
    if (direct !== undefined) return { path: BUILTIN_PREFIX + request.name, text: direct, foundInPath: -1 };
    if (request.angled || !request.includer.startsWith(BUILTIN_PREFIX)) return undefined;
    const directory = request.includer.slice(BUILTIN_PREFIX.length, request.includer.lastIndexOf('/') + 1);
    const relative = this.builtinHeaders.get(directory + request.name);
    return relative === undefined ? undefined : { path: BUILTIN_PREFIX + directory + request.name, text: relative, foundInPath: -1 };
  }
}
