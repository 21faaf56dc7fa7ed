// File access for the assembler, injected so that the language server can assemble unsaved
// buffers and tests can use in-memory files. Must not know: Node's fs (see nodeFileSystem.ts).

export interface SourceFileSystem {
  /** The file's text, or undefined when it does not exist or is not readable. */
  readFile(path: string): string | undefined;
  /** Joins a directory and a relative path the way the host does. */
  resolve(directory: string, relative: string): string;
  /** The directory part of a path. */
  dirname(path: string): string;
}

/** Paths are POSIX-style keys; nothing touches the disk. */
export class InMemoryFileSystem implements SourceFileSystem {
  private readonly files = new Map<string, string>();

  constructor(files: Record<string, string> = {}) {
    for (const [path, text] of Object.entries(files)) this.files.set(normalizePosix(path), text);
  }

  set(path: string, text: string): void {
    this.files.set(normalizePosix(path), text);
  }

  readFile(path: string): string | undefined {
    return this.files.get(normalizePosix(path));
  }

  resolve(directory: string, relative: string): string {
    return relative.startsWith('/') ? normalizePosix(relative) : normalizePosix(`${directory}/${relative}`);
  }

  dirname(path: string): string {
    const slash = path.lastIndexOf('/');
    return slash < 0 ? '.' : slash === 0 ? '/' : path.slice(0, slash);
  }
}

/** Overlays unsaved buffers on another file system (for the language server). */
export class OverlayFileSystem implements SourceFileSystem {
  constructor(
    private readonly base: SourceFileSystem,
    private readonly overlay: ReadonlyMap<string, string>,
  ) {}

  readFile(path: string): string | undefined {
    return this.overlay.get(path) ?? this.base.readFile(path);
  }

  resolve(directory: string, relative: string): string {
    return this.base.resolve(directory, relative);
  }

  dirname(path: string): string {
    return this.base.dirname(path);
  }
}

export function normalizePosix(path: string): string {
  const absolute = path.startsWith('/');
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else if (part !== '..' || !absolute) parts.push(part);
  }
  const joined = parts.join('/');
  return absolute ? `/${joined}` : joined || '.';
}
