/**
 * An OTLP/protobuf export whose every push names series never seen before: one cumulative counter
 * whose points each carry a `request.id` attribute of a fixed width, rewritten in place with a
 * running number before each push (a cardinality explosion: a request id or user id as an
 * attribute). Built once and patched, so that the test process spends its CPU on pushing.
 */
import { double, fixed64, message, string, varint } from '../helpers/protobufWriter.ts';

const ID_DIGITS = 12;
const NOW_NS = 1_700_000_000_000_000_000n;

function idOf(n: number): string {
  return String(n).padStart(ID_DIGITS, '0');
}

export class EverNewSeriesRequest {
  readonly #bytes: Buffer;
  /** Where each point's id digits are. */
  readonly #offsets: number[] = [];
  #next = 0;

  /** `client`: its resource (`service.instance.id`) and ids of its own; `points` per push. */
  constructor(client: number, points: number) {
    const dataPoints = Array.from({ length: points }, (_, i) =>
      // NumberDataPoint: attributes 7, start 2, time 3, as_double 4.
      message(
        1,
        message(7, string(1, 'http.route'), message(2, string(1, '/api/v1/items'))),
        message(7, string(1, 'request.id'), message(2, string(1, `c${client}-${idOf(i)}`))),
        fixed64(2, NOW_NS - 60_000_000_000n),
        fixed64(3, NOW_NS),
        double(4, 1),
      ),
    );
    const resource = message(1, message(1, string(1, 'service.name'), message(2, string(1, 'exploding'))), message(1, string(1, 'service.instance.id'), message(2, string(1, `client-${client}`))));
    const metric = message(2, string(1, 'explosion.requests'), message(7, ...dataPoints, varint(2, 2), varint(3, 1)));
    this.#bytes = Buffer.from(message(1, resource, message(2, message(1, string(1, 'explosion')), metric)));
    let from = 0;
    for (let i = 0; i < points; i++) {
      const at = this.#bytes.indexOf(`c${client}-${idOf(i)}`, from, 'latin1');
      this.#offsets.push(at + `c${client}-`.length);
      from = at + 1;
    }
  }

  /** The next push: the same bytes, every id a new one. */
  next(): Buffer {
    for (const offset of this.#offsets) this.#bytes.write(idOf(this.#next++), offset, 'latin1');
    return this.#bytes;
  }
}
