import { extractText, getDocumentProxy, getMeta } from 'unpdf';
import type { SourceDocument } from '../../core/documents.js';
import type { DiscoveredFile } from '../discover.js';
import { ensureText } from '../validate.js';
import { buildDocument, titleFromFileName, type LoadContext } from './document.js';

/** pdf.js prints recovery warnings ("Indexing all PDF objects") to the console unless told not to. */
const ERRORS_ONLY = 0;

/**
 * Text of every page, pages separated by a blank line. Title: the PDF's own Title, else the file name.
 * A truncated or damaged file makes pdf.js throw, which the loader reports as corrupt.
 */
export async function loadPdf(bytes: Uint8Array, file: DiscoveredFile, ctx: LoadContext): Promise<SourceDocument> {
  const pdf = await getDocumentProxy(bytes, { verbosity: ERRORS_ONLY });
  try {
    const { text: pages } = await extractText(pdf, { mergePages: false });
    const text = ensureText(pages.map((p) => p.trim()).filter(Boolean).join('\n\n'), 'no extractable text (a scanned PDF needs OCR first)');
    const title = (await pdfTitle(pdf)) || titleFromFileName(file.source);
    return buildDocument(
      { id: file.source, source: file.source, title, text, format: 'pdf' },
      ctx.chunking,
    );
  } finally {
    await pdf.destroy();
  }
}

async function pdfTitle(pdf: Parameters<typeof getMeta>[0]): Promise<string> {
  const { info, metadata } = await getMeta(pdf);
  const fromInfo: unknown = info.Title;
  if (typeof fromInfo === 'string' && fromInfo.trim()) return fromInfo.trim();
  // pdf.js hands back a bare object instead of a Metadata instance when the file has no XMP stream.
  const fromXmp: unknown = typeof metadata?.get === 'function' ? metadata.get('dc:title') : undefined;
  return typeof fromXmp === 'string' ? fromXmp.trim() : '';
}
