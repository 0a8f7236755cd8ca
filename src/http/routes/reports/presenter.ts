import { isoOrNull } from '../presenters.ts';

type Dated = { createdAt: Date };

/** Dates become ISO strings; everything else passes as the service shaped it. */
export function withIsoDates<T extends Dated>(items: T[]): Array<Omit<T, 'createdAt'> & { createdAt: string }> {
  return items.map((item) => ({ ...item, createdAt: item.createdAt.toISOString() }));
}

export { isoOrNull };
