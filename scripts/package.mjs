// `npm run package`: writes lguest-debug-<version>.vsix, the VS Code extension package: a zip
// holding extension.vsixmanifest, [Content_Types].xml and the files .vscodeignore lets through
// under extension/. Run after `node scripts/build.mjs` (the npm script does both).
import { readFileSync, readdirSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { deflateRawSync, crc32 } from 'node:zlib';

const root = new URL('..', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const output = process.argv[2] ?? join(root, `${manifest.name}-${manifest.version}.vsix`);

/** .vscodeignore rules in order: later rules win; `!` re-includes. Globs: `dir/**`, `**`, exact names. */
function loadRules() {
  return readFileSync(join(root, '.vscodeignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => ({ include: line.startsWith('!'), pattern: line.replace(/^!/, '') }));
}

function matches(pattern, path) {
  if (pattern === '**') return true;
  if (pattern.endsWith('/**')) return path.startsWith(pattern.slice(0, -2));
  return path === pattern;
}

function listFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === '.git') return [];
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

const rules = loadRules();
const included = listFiles(root)
  .map((path) => relative(root, path))
  .filter((path) => !path.endsWith('.vsix'))
  .filter((path) => rules.reduce((keep, rule) => (matches(rule.pattern, path) ? rule.include : keep), true))
  .sort();
for (const required of ['package.json', 'dist/extension.js', 'dist/debugAdapter.js', 'dist/languageServer.js']) {
  if (!included.includes(required)) throw new Error(`${required} is missing: run node scripts/build.mjs first`);
}

const escapeXml = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const vsixManifest = `<?xml version="1.0" encoding="utf-8"?>
<PackageManifest Version="2.0.0" xmlns="http://schemas.microsoft.com/developer/vsx-schema/2011" xmlns:d="http://schemas.microsoft.com/developer/vsx-schema-design/2011">
  <Metadata>
    <Identity Language="en-US" Id="${escapeXml(manifest.name)}" Version="${escapeXml(manifest.version)}" Publisher="${escapeXml(manifest.publisher)}" />
    <DisplayName>${escapeXml(manifest.displayName)}</DisplayName>
    <Description xml:space="preserve">${escapeXml(manifest.description)}</Description>
    <Tags>${escapeXml((manifest.keywords ?? []).join(','))}</Tags>
    <Categories>${escapeXml((manifest.categories ?? []).join(','))}</Categories>
    <GalleryFlags>Public</GalleryFlags>
    <Properties>
      <Property Id="Microsoft.VisualStudio.Code.Engine" Value="${escapeXml(manifest.engines.vscode)}" />
      <Property Id="Microsoft.VisualStudio.Code.ExtensionKind" Value="workspace" />
    </Properties>
    <License>extension/LICENSE</License>
  </Metadata>
  <Installation>
    <InstallationTarget Id="Microsoft.VisualStudio.Code" />
  </Installation>
  <Dependencies />
  <Assets>
    <Asset Type="Microsoft.VisualStudio.Code.Manifest" Path="extension/package.json" Addressable="true" />
    <Asset Type="Microsoft.VisualStudio.Services.Content.Details" Path="extension/README.md" Addressable="true" />
    <Asset Type="Microsoft.VisualStudio.Services.Content.License" Path="extension/LICENSE" Addressable="true" />
  </Assets>
</PackageManifest>
`;
const extensions = [...new Set(included.map((p) => p.split('.').pop()))];
const mime = { json: 'application/json', js: 'application/javascript', map: 'application/json', md: 'text/markdown', txt: 'text/plain', S: 'text/plain', s: 'text/plain', h: 'text/plain' };
const contentTypes = `<?xml version="1.0" encoding="utf-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
  <Default Extension=".vsixmanifest" ContentType="text/xml" />
${extensions.map((ext) => `  <Default Extension=".${escapeXml(ext)}" ContentType="${mime[ext] ?? 'application/octet-stream'}" />`).join('\n')}
</Types>
`;

/** A zip archive (deflate, no zip64) of [name, bytes] entries. */
function zip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const compressed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, compressed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + compressed.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

if (!existsSync(join(root, 'README.md')) || !existsSync(join(root, 'LICENSE'))) throw new Error('README.md and LICENSE must exist');
const entries = [
  ['extension.vsixmanifest', Buffer.from(vsixManifest)],
  ['[Content_Types].xml', Buffer.from(contentTypes)],
  ...included.map((path) => [`extension/${path}`, readFileSync(join(root, path))]),
];
writeFileSync(output, zip(entries));
console.log(`${relative(process.cwd(), output) || output}: ${entries.length} files`);
