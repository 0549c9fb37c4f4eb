/**
 * For loaders: a notice's Markdown lexed on the server, so its page renders the tokens
 * (app/ui/markdown-tokens.tsx) without loading the Markdown parser (decision 0070).
 */
export { markdownTokens } from './markdown.tsx';
