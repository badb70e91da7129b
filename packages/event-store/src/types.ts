/** An event as the caller hands it over; the store knows nothing of the contracts inside it. */
export interface NewEvent {
  /** A UUID chosen by the caller: appending the same id twice is a no-op. */
  id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

export interface RecordedEvent extends NewEvent {
  streamId: string;
  /** 1 for a stream's first event, then +1 without gaps. */
  streamVersion: number;
  /** bigint as decimal text: it outgrows a JS number long before the table does. */
  globalPosition: string;
  /** xid8 of the writing transaction, as decimal text. */
  transactionId: string;
  recordedAt: Date;
}

/** A reader's position in the log: the (transaction_id, global_position) pair it last handled. */
export interface LogCheckpoint {
  transactionId: string;
  position: string;
}

export type ExpectedVersion = number | 'no_stream' | 'any';
