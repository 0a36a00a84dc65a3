/** A CSS module (vite): its class names, scoped to the file that imports it. */
declare module '*.module.css' {
  const classes: Readonly<Record<string, string>>;
  export default classes;
}
