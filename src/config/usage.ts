/** What `node dist/src/main.js --help` prints: how to start Gerbang and the variables that change it. */

export const SERVER_USAGE = `gerbang — the edge gateway of the Paser regency data centre

Usage: npm start            (or: node dist/src/main.js)
       npm run demo         the gateway with two demo legacy portals
       npx gerbang help     the admin CLI

Configuration: one YAML file (GERBANG_CONFIG, default config/gerbang.yaml) and these variables, which win
over the file (every key: docs/configuration.md):

  GERBANG_CONFIG             static config file
  GERBANG_HTTP_PORT          public HTTP port (8080)
  GERBANG_HTTPS_PORT         public HTTPS port (8443)
  GERBANG_ADMIN_HOST         admin API address (127.0.0.1)
  GERBANG_ADMIN_PORT         admin API port (9180)
  GERBANG_ADMIN_TOKEN        bootstrap admin secret (else generated into <state dir>/admin-token)
  GERBANG_REDIS_URL          redis://, rediss:// or redis+sentinel:// (unset: embedded store)
  GERBANG_STATE_DIR          embedded store, last snapshot, admin token (./data)
  GERBANG_ZONES              comma list of zones hosts must lie in (paserkab.go.id)
  GERBANG_ACME_DIRECTORY     ACME directory URL (unset: ACME off); GERBANG_ACME_EMAIL, GERBANG_ACME_DNS_HOOK
  GERBANG_WORKERS            data-plane worker processes
  GERBANG_LOG_LEVEL          fatal, error, warn, info, debug, trace or silent (info)
  GERBANG_TIME_ZONE          time zone of the pages citizens see (Asia/Makassar)
  GERBANG_SHUTDOWN_GRACE_MS  how long /readyz says not-ready before a SIGTERM stops accepting

Signals: SIGHUP reloads the config file's hosts; SIGTERM reports not-ready, then drains and exits 0.
Exit codes: 0 stopped cleanly, 78 the configuration or a listen address was refused (the field is named).
`;
