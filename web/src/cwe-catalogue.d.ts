/** MITRE's CWE catalogue as the CSAF validator ships it (the same list CSAF test 6.1.11 checks names against), loaded on demand. */
declare module '@secvisogram/csaf-validator-lib/lib/cwec/4.17.js' {
  const catalogue: {
    date: string;
    weaknesses: ReadonlyArray<{ id: string; name: string; status: string; usage?: 'Allowed' | 'Allowed-with-Review' | 'Discouraged' | 'Prohibited' }>;
  };
  export default catalogue;
}
