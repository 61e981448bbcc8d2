/**
 * A strict parser for the two text expositions the bridge writes: Prometheus text 0.0.4 and
 * OpenMetrics 1.0. It reads what a scraper reads (families, samples, unescaped label values,
 * exemplars) and throws `ExpositionParseError`, naming the line, on anything it cannot parse or that
 * a scraper would refuse: so parsing our output is itself a check that it is well-formed.
 *
 * Besides the grammar it checks what MAPPING.md promises of every exposition: no family appears
 * twice, no series appears twice, values are spelled `NaN`, `+Inf`, `-Inf`, `_bucket` samples carry
 * `le` and `quantile` samples carry `quantile`; in OpenMetrics also `# EOF` last, `# UNIT` a suffix
 * of the family name, exemplars only on `_total` and `_bucket` samples with at most 128 code points
 * of label text.
 */

export type ExpositionFormat = 'text' | 'openmetrics';

export interface ParsedExemplar {
  readonly labels: Record<string, string>;
  readonly value: number;
  readonly timestamp?: number;
}

export interface ParsedSample {
  readonly name: string;
  /** Unescaped label values, by label name. */
  readonly labels: Record<string, string>;
  readonly value: number;
  /** Milliseconds (integer) in text 0.0.4, seconds in OpenMetrics, as written. */
  readonly timestamp?: number;
  readonly exemplar?: ParsedExemplar;
}

export interface ParsedFamily {
  readonly name: string;
  /** `counter`, `gauge`, `histogram`, `summary`, `untyped` (text) or `unknown` (OpenMetrics), … */
  readonly type: string;
  /** The unescaped HELP text; undefined without a `# HELP` line. */
  readonly help: string | undefined;
  /** The OpenMetrics `# UNIT`; undefined without one (always in text 0.0.4). */
  readonly unit: string | undefined;
  readonly samples: ParsedSample[];
}

export class ExpositionParseError extends Error {
  readonly line: number;

  constructor(line: number, message: string, text: string) {
    super(`line ${line}: ${message}: ${JSON.stringify(text)}`);
    this.name = 'ExpositionParseError';
    this.line = line;
  }
}

const TEXT_TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const OPENMETRICS_TYPES = new Set(['counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'info', 'stateset', 'unknown']);

/** Sample name suffixes each family type owns ('' is the family name itself). */
const TEXT_SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  counter: [''],
  gauge: [''],
  untyped: [''],
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};
const OPENMETRICS_SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  counter: ['_total', '_created'],
  gauge: [''],
  unknown: [''],
  stateset: [''],
  info: ['_info'],
  histogram: ['_bucket', '_sum', '_count', '_created'],
  gaugehistogram: ['_bucket', '_gsum', '_gcount'],
  summary: ['', '_sum', '_count', '_created'],
};

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const FLOAT = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const INTEGER = /^-?[0-9]+$/;
const EXEMPLAR_LABEL_LIMIT = 128;

interface MutableFamily {
  name: string;
  type: string;
  help: string | undefined;
  unit: string | undefined;
  typeSeen: boolean;
  samples: ParsedSample[];
}

/** Parses an exposition body; throws `ExpositionParseError` with the line number on the first problem. */
export function parseExposition(body: string, format: ExpositionFormat): ParsedFamily[] {
  return new Parser(format).parse(body);
}

class Parser {
  readonly #format: ExpositionFormat;
  readonly #openMetrics: boolean;
  readonly #families: MutableFamily[] = [];
  readonly #familyNames = new Set<string>();
  /** Sample name → family name: a sample name belongs to one family only. */
  readonly #sampleOwners = new Map<string, string>();
  readonly #series = new Set<string>();
  #current: MutableFamily | undefined;
  #lineNo = 0;
  #line = '';

  constructor(format: ExpositionFormat) {
    this.#format = format;
    this.#openMetrics = format === 'openmetrics';
  }

  parse(body: string): ParsedFamily[] {
    const lines = body.split('\n');
    // Every line ends with a line feed, so splitting leaves one empty string behind.
    const last = lines.pop();
    if (this.#openMetrics && last === '# EOF') {
      lines.push(last); // OpenMetrics: the line feed after # EOF is optional
    } else if (last !== '') {
      this.#lineNo = lines.length + 1;
      this.#line = last ?? '';
      this.#fail('the exposition does not end with a line feed');
    }
    let eof = false;
    for (let i = 0; i < lines.length; i++) {
      this.#lineNo = i + 1;
      this.#line = lines[i]!;
      if (eof) this.#fail('nothing may follow # EOF');
      if (this.#line.startsWith('#')) {
        eof = this.#comment();
      } else if (this.#line.trim() === '') {
        if (this.#openMetrics) this.#fail('OpenMetrics has no blank lines');
      } else {
        this.#sample();
      }
    }
    if (this.#openMetrics && !eof) {
      this.#lineNo = Math.max(1, lines.length);
      this.#line = lines.at(-1) ?? '';
      this.#fail('OpenMetrics must end with # EOF');
    }
    return this.#families.map(({ name, type, help, unit, samples }) => ({ name, type, help, unit, samples }));
  }

  #fail(message: string): never {
    throw new ExpositionParseError(this.#lineNo, `${this.#format}: ${message}`, this.#line);
  }

  /** A `#` line; returns true for `# EOF`. */
  #comment(): boolean {
    const line = this.#line;
    if (this.#openMetrics) {
      if (line === '# EOF') return true;
      const match = /^# (HELP|TYPE|UNIT) /.exec(line);
      if (match === null) this.#fail('OpenMetrics allows only # HELP, # TYPE, # UNIT and # EOF comments');
      this.#metadata(match[1] as 'HELP' | 'TYPE' | 'UNIT', line.slice(match[0].length));
      return false;
    }
    // Text 0.0.4: `#` then blanks then HELP or TYPE; any other comment is ignored.
    const match = /^#[ \t]+(HELP|TYPE)[ \t]+/.exec(line);
    if (match === null) return false;
    this.#metadata(match[1] as 'HELP' | 'TYPE', line.slice(match[0].length));
    return false;
  }

  #metadata(keyword: 'HELP' | 'TYPE' | 'UNIT', rest: string): void {
    const cursor = new Cursor(rest, (message) => this.#fail(message));
    const name = cursor.metricName();
    let argument: string;
    if (cursor.done()) {
      if (keyword !== 'HELP') this.#fail(`# ${keyword} needs a value`);
      argument = '';
    } else {
      if (this.#openMetrics) cursor.expect(' ');
      else cursor.blanks(true);
      argument = cursor.rest();
    }
    const family = this.#metadataFamily(name, keyword);
    switch (keyword) {
      case 'HELP':
        family.help = unescapeHelp(argument, this.#openMetrics, (message) => this.#fail(message));
        break;
      case 'TYPE': {
        const type = this.#openMetrics ? argument : argument.trim();
        if (!(this.#openMetrics ? OPENMETRICS_TYPES : TEXT_TYPES).has(type)) this.#fail(`unknown metric type ${JSON.stringify(type)}`);
        family.type = type;
        family.typeSeen = true;
        break;
      }
      case 'UNIT':
        if (argument !== '' && !family.name.endsWith(`_${argument}`)) this.#fail(`the unit ${JSON.stringify(argument)} is not a suffix of the family name`);
        family.unit = argument;
        break;
    }
  }

  /** The family a metadata line describes: the current one while it has no samples, or a new one. */
  #metadataFamily(name: string, keyword: 'HELP' | 'TYPE' | 'UNIT'): MutableFamily {
    const current = this.#current;
    if (current !== undefined && current.name === name) {
      if (current.samples.length > 0) this.#fail(`# ${keyword} for ${name} after its samples`);
      const already = keyword === 'HELP' ? current.help !== undefined : keyword === 'TYPE' ? current.typeSeen : current.unit !== undefined;
      if (already) this.#fail(`a second # ${keyword} for ${name}`);
      return current;
    }
    return this.#newFamily(name);
  }

  #newFamily(name: string): MutableFamily {
    if (this.#familyNames.has(name)) this.#fail(`the family ${name} appears twice`);
    const owner = this.#sampleOwners.get(name);
    if (owner !== undefined) this.#fail(`the family name ${name} is a sample name of family ${owner}`);
    const family: MutableFamily = { name, type: this.#openMetrics ? 'unknown' : 'untyped', help: undefined, unit: undefined, typeSeen: false, samples: [] };
    this.#families.push(family);
    this.#familyNames.add(name);
    this.#current = family;
    return family;
  }

  #sample(): void {
    const cursor = new Cursor(this.#line, (message) => this.#fail(message));
    let name: string | undefined;
    let labels: Record<string, string> = {};
    if (cursor.peek() === '{') {
      // A UTF-8 name goes inside the braces, quoted: {"my.metric",a="x"}.
      ({ name, labels } = this.#labels(cursor, true));
    } else {
      name = cursor.metricName();
      if (cursor.peek() === '{') labels = this.#labels(cursor, false).labels;
    }
    if (name === undefined) this.#fail('a sample without a metric name');
    this.#separator(cursor);
    const value = parseValue(cursor.token(), (message) => this.#fail(message));
    let timestamp: number | undefined;
    let exemplar: ParsedExemplar | undefined;
    if (!cursor.done() && !this.#atExemplar(cursor)) {
      this.#separator(cursor);
      if (!cursor.done() && !this.#atExemplar(cursor)) timestamp = this.#timestamp(cursor.token());
    }
    if (this.#openMetrics && this.#atExemplar(cursor)) {
      cursor.expect(' # ');
      exemplar = this.#exemplar(cursor);
    }
    if (!this.#openMetrics) cursor.blanks(false);
    if (!cursor.done()) this.#fail(`unexpected text after the sample: ${JSON.stringify(cursor.rest())}`);

    const family = this.#familyOfSample(name);
    this.#checkSample(family, name, labels, exemplar);
    const sample: ParsedSample = { name, labels, value, ...(timestamp === undefined ? {} : { timestamp }), ...(exemplar === undefined ? {} : { exemplar }) };
    family.samples.push(sample);
  }

  #atExemplar(cursor: Cursor): boolean {
    return this.#openMetrics && cursor.remaining().startsWith(' # ');
  }

  /** One space in OpenMetrics; blanks in text. */
  #separator(cursor: Cursor): void {
    if (this.#openMetrics) cursor.expect(' ');
    else cursor.blanks(true);
  }

  #timestamp(token: string): number {
    if (this.#openMetrics) {
      if (!FLOAT.test(token)) this.#fail(`invalid timestamp ${JSON.stringify(token)}`);
      return Number(token);
    }
    if (!INTEGER.test(token)) this.#fail(`invalid timestamp ${JSON.stringify(token)} (text 0.0.4 wants integer milliseconds)`);
    return Number(token);
  }

  /** `{…}`: label pairs, and with `allowName` a leading quoted metric name. */
  #labels(cursor: Cursor, allowName: boolean): { name: string | undefined; labels: Record<string, string> } {
    cursor.expect('{');
    const labels: Record<string, string> = {};
    let name: string | undefined;
    let first = true;
    while (cursor.peek() !== '}') {
      if (!first) {
        cursor.expect(',');
        if (cursor.peek() === '}') {
          if (this.#openMetrics) this.#fail('a trailing comma in a label set');
          break;
        }
      }
      if (!this.#openMetrics) cursor.blanks(false);
      let labelName: string;
      if (cursor.peek() === '"') {
        labelName = cursor.quoted();
        if (first && allowName && cursor.peek() !== '=') {
          name = labelName;
          first = false;
          continue;
        }
      } else {
        labelName = cursor.match(LABEL_NAME, 'a label name');
      }
      if (!this.#openMetrics) cursor.blanks(false);
      cursor.expect('=');
      if (!this.#openMetrics) cursor.blanks(false);
      const value = cursor.quoted();
      if (!this.#openMetrics) cursor.blanks(false);
      if (Object.hasOwn(labels, labelName)) this.#fail(`the label ${labelName} appears twice`);
      labels[labelName] = value;
      first = false;
    }
    cursor.expect('}');
    return { name, labels };
  }

  #exemplar(cursor: Cursor): ParsedExemplar {
    const { name, labels } = this.#labels(cursor, false);
    if (name !== undefined) this.#fail('an exemplar has no metric name');
    const length = Object.entries(labels).reduce((sum, [key, value]) => sum + [...key].length + [...value].length, 0);
    if (length > EXEMPLAR_LABEL_LIMIT) this.#fail(`exemplar labels of ${length} code points (at most ${EXEMPLAR_LABEL_LIMIT})`);
    cursor.expect(' ');
    const value = parseValue(cursor.token(), (message) => this.#fail(message));
    if (cursor.done()) return { labels, value };
    cursor.expect(' ');
    const timestamp = this.#timestamp(cursor.token());
    return { labels, value, timestamp };
  }

  /** The current family when the sample name is one of its own; otherwise a new untyped one. */
  #familyOfSample(sampleName: string): MutableFamily {
    const current = this.#current;
    if (current !== undefined && sampleNamesOf(current, this.#openMetrics).includes(sampleName)) return current;
    const owner = this.#sampleOwners.get(sampleName);
    if (owner !== undefined) this.#fail(`the sample ${sampleName} of family ${owner} is not with the rest of its family`);
    if (current !== undefined && current.samples.length === 0 && (current.typeSeen || current.help !== undefined || current.unit !== undefined)) {
      this.#fail(`the family ${current.name} (${current.type}) has no sample named ${sampleName}`);
    }
    const family = this.#newFamily(sampleName);
    this.#claimNames(family);
    return family;
  }

  #claimNames(family: MutableFamily): void {
    for (const sampleName of sampleNamesOf(family, this.#openMetrics)) {
      const owner = this.#sampleOwners.get(sampleName);
      if (owner !== undefined && owner !== family.name) this.#fail(`the sample name ${sampleName} belongs to both ${owner} and ${family.name}`);
      this.#sampleOwners.set(sampleName, family.name);
    }
  }

  #checkSample(family: MutableFamily, name: string, labels: Record<string, string>, exemplar: ParsedExemplar | undefined): void {
    if (family.samples.length === 0) this.#claimNames(family);
    const isBucket = (family.type === 'histogram' || family.type === 'gaugehistogram') && name === `${family.name}_bucket`;
    if (isBucket) {
      const le = labels.le;
      if (le === undefined) this.#fail('a _bucket sample without le');
      parseValue(le, (message) => this.#fail(`le: ${message}`));
    }
    if (family.type === 'summary' && name === family.name) {
      const quantile = labels.quantile;
      if (quantile === undefined) this.#fail('a summary sample without quantile');
      parseValue(quantile, (message) => this.#fail(`quantile: ${message}`));
    }
    if (exemplar !== undefined && !isBucket && !(family.type === 'counter' && name === `${family.name}_total`)) {
      this.#fail('an exemplar is allowed only on _total and _bucket samples');
    }
    const key = `${name}{${Object.entries(labels)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(',')}}`;
    if (this.#series.has(key)) this.#fail(`the series ${key} appears twice`);
    this.#series.add(key);
  }
}

function sampleNamesOf(family: MutableFamily, openMetrics: boolean): string[] {
  const suffixes = (openMetrics ? OPENMETRICS_SUFFIXES : TEXT_SUFFIXES)[family.type] ?? [''];
  return suffixes.map((suffix) => `${family.name}${suffix}`);
}

/** Reads one line from left to right; every failure goes through `fail`, which names the line. */
class Cursor {
  #pos = 0;
  readonly #text: string;
  readonly #fail: (message: string) => never;

  constructor(text: string, fail: (message: string) => never) {
    this.#text = text;
    this.#fail = fail;
  }

  done(): boolean {
    return this.#pos >= this.#text.length;
  }

  peek(): string | undefined {
    return this.#text[this.#pos];
  }

  /** What is left, without consuming it. */
  remaining(): string {
    return this.#text.slice(this.#pos);
  }

  /** What is left, consumed. */
  rest(): string {
    const rest = this.#text.slice(this.#pos);
    this.#pos = this.#text.length;
    return rest;
  }

  expect(literal: string): void {
    if (!this.#text.startsWith(literal, this.#pos)) {
      this.#fail(`expected ${JSON.stringify(literal)} at column ${this.#pos + 1}`);
    }
    this.#pos += literal.length;
  }

  /** Spaces and tabs; with `required`, at least one. */
  blanks(required: boolean): void {
    const start = this.#pos;
    while (this.peek() === ' ' || this.peek() === '\t') this.#pos++;
    if (required && this.#pos === start) this.#fail(`expected a blank at column ${start + 1}`);
  }

  match(pattern: RegExp, what: string): string {
    const match = pattern.exec(this.#text.slice(this.#pos));
    if (match === null) this.#fail(`expected ${what} at column ${this.#pos + 1}`);
    this.#pos += match[0].length;
    return match[0];
  }

  /** A metric name, bare or (UTF-8) quoted. */
  metricName(): string {
    return this.peek() === '"' ? this.quoted() : this.match(METRIC_NAME, 'a metric name');
  }

  /** Up to the next blank or the end. */
  token(): string {
    const start = this.#pos;
    while (!this.done() && this.peek() !== ' ' && this.peek() !== '\t') this.#pos++;
    if (this.#pos === start) this.#fail(`expected a value at column ${start + 1}`);
    return this.#text.slice(start, this.#pos);
  }

  /** A double-quoted string with `\\`, `\"` and `\n` escapes, unescaped. */
  quoted(): string {
    this.expect('"');
    let value = '';
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.#fail('an unterminated quoted string');
      this.#pos++;
      if (c === '"') return value;
      if (c !== '\\') {
        value += c;
        continue;
      }
      const escaped = this.peek();
      this.#pos++;
      if (escaped === '\\') value += '\\';
      else if (escaped === '"') value += '"';
      else if (escaped === 'n') value += '\n';
      else this.#fail(`invalid escape sequence \\${escaped ?? ''} at column ${this.#pos - 1}`);
    }
  }
}

/** HELP text: `\\` and `\n` escapes; OpenMetrics also `\"`. Anything else after `\` is an error. */
function unescapeHelp(text: string, openMetrics: boolean, fail: (message: string) => never): string {
  return text.replace(/\\(.?)/g, (_match, c: string) => {
    if (c === '\\') return '\\';
    if (c === 'n') return '\n';
    if (c === '"' && openMetrics) return '"';
    return fail(`invalid escape sequence \\${c} in HELP`);
  });
}

/** A sample value: a decimal float, or `NaN`, `+Inf`, `-Inf` spelled exactly so. */
function parseValue(token: string, fail: (message: string) => never): number {
  if (token === 'NaN') return NaN;
  if (token === '+Inf') return Infinity;
  if (token === '-Inf') return -Infinity;
  if (!FLOAT.test(token)) fail(`invalid value ${JSON.stringify(token)}`);
  return Number(token);
}

export interface NormalizeOptions {
  /** Families whose name matches are left out (families that vary between runs). */
  readonly dropFamilies?: RegExp;
  /** Label names removed from every sample. */
  readonly dropLabels?: readonly string[];
}

/**
 * Families sorted by name, samples by name then labels (`le` and `quantile` numerically), labels
 * by name: two expositions that differ only in order normalize to deep-equal values.
 */
export function normalize(families: readonly ParsedFamily[], options: NormalizeOptions = {}): ParsedFamily[] {
  const dropLabels = new Set(options.dropLabels ?? []);
  return families
    .filter((family) => options.dropFamilies === undefined || !options.dropFamilies.test(family.name))
    .map((family) => ({
      name: family.name,
      type: family.type,
      help: family.help,
      unit: family.unit,
      samples: family.samples.map((sample) => normalizeSample(sample, dropLabels)).sort(compareSamples),
    }))
    .sort((a, b) => compareStrings(a.name, b.name));
}

function normalizeSample(sample: ParsedSample, dropLabels: ReadonlySet<string>): ParsedSample {
  const labels = sortLabels(sample.labels, dropLabels);
  const normalized: ParsedSample = { name: sample.name, labels, value: sample.value };
  return {
    ...normalized,
    ...(sample.timestamp === undefined ? {} : { timestamp: sample.timestamp }),
    ...(sample.exemplar === undefined ? {} : { exemplar: { ...sample.exemplar, labels: sortLabels(sample.exemplar.labels, new Set()) } }),
  };
}

function sortLabels(labels: Record<string, string>, drop: ReadonlySet<string>): Record<string, string> {
  const sorted: Record<string, string> = {};
  for (const key of Object.keys(labels).sort(compareStrings)) if (!drop.has(key)) sorted[key] = labels[key]!;
  return sorted;
}

const NUMERIC_LABELS = new Set(['le', 'quantile']);

function compareSamples(a: ParsedSample, b: ParsedSample): number {
  const byName = compareStrings(a.name, b.name);
  if (byName !== 0) return byName;
  const byLabels = compareStrings(labelKey(a.labels), labelKey(b.labels));
  if (byLabels !== 0) return byLabels;
  for (const label of NUMERIC_LABELS) {
    const x = a.labels[label];
    const y = b.labels[label];
    if (x !== undefined && y !== undefined && x !== y) return numericLabel(x) - numericLabel(y);
  }
  return 0;
}

function numericLabel(text: string): number {
  return text === '+Inf' ? Infinity : text === '-Inf' ? -Infinity : Number(text);
}

function labelKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).filter(([name]) => !NUMERIC_LABELS.has(name)));
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
