// autocannon ships no types and @types/autocannon lags its major versions; bench/api.ts uses a
// handful of options and fields, checked at run time.
declare module 'autocannon' {
  const autocannon: (options: Record<string, unknown>) => Promise<any> & { on(event: string, listener: (...args: any[]) => void): void };
  export default autocannon;
}
