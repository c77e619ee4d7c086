// The one part of node-postgres eTicket calls itself (knex drives the rest): its type parsers.
declare module 'pg' {
  const pg: {
    types: {
      setTypeParser(oid: number, parse: (value: string) => unknown): void;
      builtins: { INT8: number; NUMERIC: number };
    };
  };
  export default pg;
}
