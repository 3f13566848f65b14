/**
 * Writes a small, valid PDF by hand: one Helvetica text line per input line, a correct xref table,
 * and an optional document Title. Only ASCII without parentheses or backslashes is supported.
 */
export function makePdf(pages: string[], options: { title?: string } = {}): Uint8Array {
  const objects: string[] = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${pages.map((_, i) => `${5 + 2 * i} 0 R`).join(' ')}] /Count ${pages.length} >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    options.title ? `<< /Title (${options.title}) /Producer (cairn tests) >>` : '<< /Producer (cairn tests) >>',
  ];
  pages.forEach((text, i) => {
    objects.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${6 + 2 * i} 0 R >>`);
    const ops = text
      .split('\n')
      .map((line, j) => `BT /F1 12 Tf 72 ${720 - j * 16} Td (${line}) Tj ET`)
      .join('\n');
    objects.push(`<< /Length ${ops.length} >>\nstream\n${ops}\nendstream`);
  });
  let out = '%PDF-1.4\n';
  const offsets = objects.map((body, i) => {
    const at = out.length;
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return at;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  out += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 4 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}
