/** Names are data in whatever language they were typed: mark Japanese or Latin text as such. */
export const langOf = (text: string) =>
  /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]/.test(text)
    ? 'ja'
    : /[A-Za-z]/.test(text)
      ? 'en'
      : undefined;
