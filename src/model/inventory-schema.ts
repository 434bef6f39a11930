/** The inventory of every agency's services, behind Gerbang or not yet: the typebox schemas of an entry as sent, stored and shown. */
import { type Static, Type } from '@sinclair/typebox';
import './formats.js';

export const InventoryStateSchema = Type.Union(
  [Type.Literal('reported'), Type.Literal('migrating'), Type.Literal('live'), Type.Literal('retired')],
  { description: 'reported: known, at its old address; migrating; live: a Gerbang host; retired' },
);

export const InventoryIdSchema = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[a-z0-9][a-z0-9-]*$',
});

const AgencyRef = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9][a-z0-9-]*$' });
const Text = (maxLength: number, description?: string) =>
  Type.String({ minLength: 1, maxLength, ...(description ? { description } : {}) });

/** What PUT /v1/inventory/{id} accepts. A live entry names its host and nothing else: its app info is the record. */
export const InventoryBodySchema = Type.Object(
  {
    id: Type.Optional(InventoryIdSchema),
    agency: Type.Optional(AgencyRef),
    state: InventoryStateSchema,
    name: Type.Optional(Text(120)),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    category: Type.Optional(Type.String({ maxLength: 60 })),
    contact: Type.Optional(Type.String({ maxLength: 200 })),
    url: Type.Optional(Text(2048, 'current address (http or https), required while reported or migrating')),
    host: Type.Optional(Text(253, 'the Gerbang host of a live entry')),
  },
  { additionalProperties: false },
);

/** An entry as the store keeps it (validated on every read). */
export const StoredInventorySchema = Type.Object(
  {
    id: InventoryIdSchema,
    agency: AgencyRef,
    state: InventoryStateSchema,
    name: Type.Optional(Text(120)),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    category: Type.Optional(Type.String({ maxLength: 60 })),
    contact: Type.Optional(Type.String({ maxLength: 200 })),
    url: Type.Optional(Text(2048)),
    host: Type.Optional(Text(253)),
    updatedAt: Type.String({ maxLength: 40 }),
  },
  { additionalProperties: false },
);

/** An entry as the API shows it: a live one carries its host's app information, read from the host. */
export const InventoryViewSchema = Type.Object({
  id: Type.String(),
  agency: Type.String(),
  state: InventoryStateSchema,
  name: Type.String(),
  description: Type.Optional(Type.String()),
  category: Type.Optional(Type.String()),
  contact: Type.Optional(Type.String()),
  url: Type.Optional(Type.String()),
  host: Type.Optional(Type.String()),
  /** Live entries: whether the host is registered now (a deleted host leaves the entry pointing nowhere). */
  registered: Type.Optional(Type.Boolean()),
  updatedAt: Type.String(),
});

export type InventoryState = Static<typeof InventoryStateSchema>;
export type InventoryBody = Static<typeof InventoryBodySchema>;
export type StoredInventory = Static<typeof StoredInventorySchema>;
export type InventoryView = Static<typeof InventoryViewSchema>;

/** A service still being moved, as the public directory lists it. */
export interface MovingService {
  id: string;
  agency: string;
  /** The registry's name of the agency when it has one (a cluster worker has no registry of its own). */
  agencyName?: string | undefined;
  state: 'reported' | 'migrating';
  name: string;
  description: string | undefined;
  category: string | undefined;
  contact: string | undefined;
  url: string;
}
