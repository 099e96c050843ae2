/**
 * The CJK fonts every document embeds (a subset of Source Han Sans SC, OFL,
 * from the npm package `node-source-han-sans-sc`).
 *
 * Each font file is 17 MB; reading and parsing it costs a few hundred
 * milliseconds, so it happens once per process: the Buffer, the parsed font
 * and the text-layout cache are module-level and shared by every document.
 *
 * Determinism: pdfkit writes a ToUnicode map from each glyph's `codePoints`,
 * and fontkit remembers, per glyph, the code point it was FIRST reached from in
 * this process. Source Han Sans maps ~500 glyphs from several code points
 * (一 U+4E00 and the Kangxi radical ⼀ U+2F00, 民 and ⺠, U+0020 and U+00A0…),
 * so with a shared font the map, and the PDF bytes, would depend on what the
 * process had rendered before. `layout` is therefore wrapped to hand pdfkit
 * glyph records whose code points come from the text being laid out (or,
 * when shaping changed the glyph count, from a fixed canonical choice), so
 * the bytes depend only on the input.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type FontWeight = 'regular' | 'bold';

/** The parts of a fontkit font this module touches (fontkit ships no types). */
interface FontkitGlyph {
  id: number;
  advanceWidth: number;
  codePoints: number[];
}
interface FontkitRun {
  glyphs: FontkitGlyph[];
}
export interface FontkitFont {
  layout(text: string, ...rest: unknown[]): FontkitRun;
  postscriptName: string;
  _cmapProcessor: { cmap: { version: number; groups?: { toArray(): Array<{ startCharCode: number; endCharCode: number; glyphID: number }> } } };
}

export interface LoadedFont {
  weight: FontWeight;
  file: string;
  buffer: Buffer;
  /** the parsed font, handed to pdfkit in place of the file (pdfkit accepts any object with `layout`) */
  font: FontkitFont;
  /** pdfkit's per-font text-layout memo, shared across documents (values depend only on the text) */
  layoutCache: Record<string, unknown>;
}

const FILES: Record<FontWeight, string> = {
  regular: 'SourceHanSansSC-Regular.otf',
  bold: 'SourceHanSansSC-Bold.otf',
};

/** The layout cache is a memo keyed by text runs; start afresh past this many entries. */
const LAYOUT_CACHE_LIMIT = 50_000;

const loaded = new Map<FontWeight, LoadedFont>();

/** The font directory of `node-source-han-sans-sc`. */
export function fontDirectory(): string {
  return path.dirname(require.resolve('node-source-han-sans-sc/package.json'));
}

/** The same fontkit instance pdfkit uses (a dependency of pdfkit, not of this project). */
function pdfkitsFontkit(): { create(buffer: Buffer): unknown } {
  const requireFromPdfkit = createRequire(require.resolve('pdfkit'));
  return requireFromPdfkit('fontkit') as { create(buffer: Buffer): unknown };
}

/**
 * 0 for an ordinary character, 1 for a variant that shares a glyph with one:
 * compatibility forms (⼀ U+2F00, U+00A0, U+F900…, which NFKC maps elsewhere),
 * CJK radicals (⺠ U+2EE0), strokes, private use.
 */
function variantRank(code: number): number {
  if ((code >= 0x2e80 && code <= 0x2fdf) || (code >= 0x31c0 && code <= 0x31ef) || (code >= 0xe000 && code <= 0xf8ff)) return 1;
  const char = String.fromCodePoint(code);
  return char.normalize('NFKC') === char ? 0 : 1;
}

/** Glyph id → one fixed code point for it: the lowest ordinary one the cmap maps to the glyph. */
function canonicalCodePoints(font: FontkitFont): Int32Array {
  const cmap = font._cmapProcessor.cmap;
  const byGlyph = new Int32Array(65536).fill(-1);
  if ((cmap.version === 12 || cmap.version === 13) && cmap.groups) {
    for (const group of cmap.groups.toArray()) {
      for (let code = group.startCharCode; code <= group.endCharCode; code++) {
        const gid = cmap.version === 12 ? group.glyphID + (code - group.startCharCode) : group.glyphID;
        if (gid <= 0 || gid >= byGlyph.length) continue;
        const current = byGlyph[gid]!;
        if (current === -1) {
          byGlyph[gid] = code;
          continue;
        }
        const rankNew = variantRank(code);
        const rankCurrent = variantRank(current);
        if (rankNew < rankCurrent || (rankNew === rankCurrent && code < current)) byGlyph[gid] = code;
      }
    }
  }
  return byGlyph;
}

/** The glyph fields pdfkit reads (id, advanceWidth, codePoints), detached from fontkit's shared glyph cache. */
interface GlyphRecord {
  id: number;
  advanceWidth: number;
  codePoints: number[];
}

/**
 * No ligatures: document ids, hashes and numbers must read and copy exactly as
 * written (with the font's default `liga`, "ff" in a SHA-256 became one glyph, ﬀ).
 */
const NO_LIGATURES = { liga: false, clig: false, dlig: false, hlig: false };

function pinCodePoints(font: FontkitFont): void {
  const byGlyph = canonicalCodePoints(font);
  const layout = font.layout.bind(font);
  font.layout = (text: string, features?: unknown, ...rest: unknown[]) => {
    const run = layout(text, features ?? NO_LIGATURES, ...rest);
    const codePoints = typeof text === 'string' ? Array.from(text, (char) => char.codePointAt(0)!) : null;
    const oneToOne = codePoints !== null && codePoints.length === run.glyphs.length;
    run.glyphs = run.glyphs.map((glyph, i): GlyphRecord => {
      let points: number[];
      if (oneToOne) points = [codePoints[i]!];
      else {
        const code = glyph.id < byGlyph.length ? byGlyph[glyph.id]! : -1;
        points = code !== -1 ? [code] : [...glyph.codePoints];
      }
      return { id: glyph.id, advanceWidth: glyph.advanceWidth, codePoints: points };
    });
    return run;
  };
}

/** Reads and parses a weight once per process. */
export function loadFont(weight: FontWeight): LoadedFont {
  const cached = loaded.get(weight);
  if (cached) return cached;
  const file = path.join(fontDirectory(), FILES[weight]);
  const buffer = readFileSync(file);
  const font = pdfkitsFontkit().create(buffer) as FontkitFont;
  if (typeof font?.layout !== 'function') throw new Error(`${file} is not a font fontkit can read`);
  pinCodePoints(font);
  const entry: LoadedFont = { weight, file, buffer, font, layoutCache: Object.create(null) as Record<string, unknown> };
  loaded.set(weight, entry);
  return entry;
}

/** Both weights; the first call in a process pays the load (~200 ms each). */
export function loadFonts(): Record<FontWeight, LoadedFont> {
  return { regular: loadFont('regular'), bold: loadFont('bold') };
}

/** The shared layout cache for a weight, reset when it has grown past its limit. */
export function layoutCacheFor(weight: FontWeight): Record<string, unknown> {
  const entry = loadFont(weight);
  if (Object.keys(entry.layoutCache).length > LAYOUT_CACHE_LIMIT) entry.layoutCache = Object.create(null) as Record<string, unknown>;
  return entry.layoutCache;
}
