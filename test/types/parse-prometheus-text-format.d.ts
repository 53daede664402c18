/** The package ships JavaScript only; this is the shape the tests use. */
declare module 'parse-prometheus-text-format' {
  export default function parsePrometheusTextFormat(text: string): unknown[];
}
