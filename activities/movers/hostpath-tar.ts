// The former tar mover's module name, kept only for callers that import its digest helpers (the e2e
// tests and the demo); the chunked mover replaced the tar. New code imports ./file-tree.js.
export { compareDigests, digestDirectory, type FileDigest } from './file-tree.js';
