// The text of an SVG that vega's toSVG() wrote, with where each line sits: enough of SVG to check a
// chart's legibility in a test (every <g transform="translate(x,y)"> adds up; tspans are lines).

/** One line of text in the drawing, in the SVG's own coordinates. */
export interface SvgText {
  readonly text: string;
  /** font-size in px. */
  readonly fontSize: number;
  /** text-anchor: where x is along the line. */
  readonly anchor: 'start' | 'middle' | 'end';
  readonly x: number;
  /** The baseline's y. */
  readonly y: number;
}

/** The SVG's viewBox size and every line of text in it. */
export function svgTexts(svg: string): { width: number; height: number; texts: SvgText[] } {
  const box = /viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(svg);
  if (box === null) throw new Error('no viewBox="0 0 W H" in the SVG');
  const offsets: [number, number][] = [[0, 0]];
  const texts: SvgText[] = [];
  let current: { fontSize: number; anchor: SvgText['anchor']; x: number; y: number; dy: number } | undefined;
  const at = (attrs: string, name: string): string | undefined => new RegExp(`\\b${name}="([^"]*)"`).exec(attrs)?.[1];
  const translate = (attrs: string): [number, number] => {
    const m = /transform="translate\(([-\d.e]+),([-\d.e]+)\)"/.exec(attrs);
    return m === null ? [0, 0] : [Number(m[1]), Number(m[2])];
  };
  for (const m of svg.matchAll(/<(\/?)(\w+)([^>]*?)(\/?)>|([^<]+)/g)) {
    const [, closing, tag, attrs = '', selfClosing, content] = m;
    const [ox, oy] = offsets.at(-1) ?? [0, 0];
    if (content !== undefined) {
      if (current !== undefined) texts.push({ text: decode(content), fontSize: current.fontSize, anchor: current.anchor, x: current.x, y: current.y + current.dy });
    } else if (tag === 'g' && closing === '' && selfClosing === '') {
      const [dx, dy] = translate(attrs);
      offsets.push([ox + dx, oy + dy]);
    } else if (tag === 'g' && closing === '/') {
      offsets.pop();
    } else if (tag === 'text' && closing === '') {
      const [dx, dy] = translate(attrs);
      const anchor = at(attrs, 'text-anchor') ?? 'start';
      if (anchor !== 'start' && anchor !== 'middle' && anchor !== 'end') throw new Error(`text-anchor ${anchor}`);
      current = { fontSize: Number.parseFloat(at(attrs, 'font-size') ?? 'NaN'), anchor, x: ox + dx, y: oy + dy, dy: 0 };
    } else if (tag === 'tspan' && closing === '' && current !== undefined) {
      current.dy += Number(at(attrs, 'dy') ?? 0);
    } else if (tag === 'text' && closing === '/') {
      current = undefined;
    }
  }
  return { width: Number(box[1]), height: Number(box[2]), texts };
}

function decode(text: string): string {
  return text.replace(/&apos;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The horizontal extent of a line, estimated at 0.6 em per character (sans-serif's average). */
export function extent(t: SvgText): [left: number, right: number] {
  const width = 0.6 * t.fontSize * t.text.length;
  const left = t.anchor === 'start' ? t.x : t.anchor === 'middle' ? t.x - width / 2 : t.x - width;
  return [left, left + width];
}
