/** Vite's `?raw` imports: the file's text, bundled (used for the seed policies on the new-project page). */
declare module '*?raw' {
  const text: string;
  export default text;
}
