export const auditUsage = `usage: npm run -s audit -- <command> [options]

The auditors' tool. It talks only to the projection's HTTP API, with an auditor's token.

commands:
  history <caseId>                one case's events, in log order
  as-of <caseId> <time>           the case as it was at <time> (ISO 8601), with the flags it had then
  events [--type t1,t2] [--from <time>] [--to <time>] [--case <caseId>] [--limit n]
                                  every event of your areas, in log order
  replay [--attach <replayId>] [--detach]
                                  rebuild the read model from offset 0 beside the live one, with a
                                  progress bar; at the end the checksums of both and whether they
                                  match. Ctrl-C asks whether to cancel the replay or leave it running.
  replays                         recent replays and how they ended
  promote <replayId> [--accept-differences]
                                  make a finished replay the live read model
  access-log [--case <caseId>] [--user <sub>]
                                  who read which case, when

options:
  --url <url>      the projection (default http://127.0.0.1:3004, or SYV_PROJECTION_URL)
  --token <jwt>    an auditor's bearer token (default: the SYV_TOKEN environment variable)
  --json           print the API's JSON instead of text
  -h, --help       this text

exit status: 0 done; 1 failed; 2 bad usage; 3 the replay finished and does not match.

example:
  export SYV_TOKEN=$(npm run -s token -- --role auditor --areas E09000001)
  npm run -s audit -- replay`;
