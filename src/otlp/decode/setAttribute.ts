import type { AttributeValue } from '../../otelData/otelData.ts';

/**
 * Sets an attribute as an own property, `__proto__` included (which plain assignment would take as
 * a new prototype instead of a key); a later duplicate key wins.
 */
export function setAttribute(target: Record<string, AttributeValue>, key: string, value: AttributeValue): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
