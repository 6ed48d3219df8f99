import { PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef } from 'pdf-lib';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** The text of each page of a PDF, extracted by pdf.js (Mozilla's parser), lines joined with `\n`. */
export async function pdfPagesText(data: Uint8Array): Promise<string[]> {
  const document = await getDocument({ data: new Uint8Array(data), useSystemFonts: false, isEvalSupported: false }).promise;
  try {
    const pages: string[] = [];
    for (let n = 1; n <= document.numPages; n++) {
      const content = await (await document.getPage(n)).getTextContent();
      let text = '';
      for (const item of content.items) {
        if (!('str' in item)) continue;
        text += item.str + (item.hasEOL ? '\n' : '');
      }
      pages.push(text);
    }
    return pages;
  } finally {
    await document.destroy();
  }
}

/** The fonts of a PDF (read back with pdf-lib's parser): font name and the stored bytes of its embedded program (0 when not embedded). */
export async function pdfFonts(data: Uint8Array): Promise<Array<{ name: string; embeddedBytes: number }>> {
  const document = await PDFDocument.load(data, { updateMetadata: false });
  const fonts: Array<{ name: string; embeddedBytes: number }> = [];
  for (const [, object] of document.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || object.get(PDFName.of('Type')) !== PDFName.of('FontDescriptor')) continue;
    const name = object.get(PDFName.of('FontName'));
    const file = ['FontFile', 'FontFile2', 'FontFile3'].map((key) => object.get(PDFName.of(key))).find((ref) => ref instanceof PDFRef);
    const program = file ? document.context.lookup(file) : undefined;
    fonts.push({ name: name instanceof PDFName ? name.decodeText() : String(name), embeddedBytes: program instanceof PDFRawStream ? program.getContentsSize() : 0 });
  }
  return fonts.sort((a, b) => a.name.localeCompare(b.name));
}
