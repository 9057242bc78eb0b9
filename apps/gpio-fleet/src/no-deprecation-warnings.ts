// Node 22 and later warn on stderr, on every run, that the punycode module and url.parse() are
// deprecated (DEP0040, DEP0169): @kubernetes/client-node's dependencies use them. The warnings
// are for those packages' authors, not for someone running gpio-fleet, and they would mix into
// output that scripts read (a pod's log is stdout and stderr together). cli.ts imports this
// first, so it runs before any of those modules loads; library users keep Node's warnings.
process.noDeprecation = true;
