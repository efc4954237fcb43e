// How PostgreSQL values come back: int8 (BIGINT columns, count(*)) as JS numbers, like SQLite's INTEGER.
// Block numbers, indexes and counts stay far below 2^53.
import pg from 'pg';

const INT8_OID = 20;

export const pgTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
};
