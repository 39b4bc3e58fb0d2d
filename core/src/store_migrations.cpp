// The store's schema, as an ordered list of migrations. Append new steps at the end with the next
// version number; never edit or reorder a step that has shipped (stores in the wild have run it).
// docs/store.md describes every table.

#include "sqlite_util.h"

namespace telar::core {

const std::vector<sqlite::Migration>& storeMigrations() {
    static const std::vector<sqlite::Migration> migrations = {
        {1, "store bookkeeping, cache, counters, known repositories, module search",
         R"sql(
CREATE TABLE store_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE cache (
  id        INTEGER PRIMARY KEY,
  kind      TEXT    NOT NULL,
  key       TEXT    NOT NULL,
  checksum  TEXT    NOT NULL,
  stored_at INTEGER NOT NULL,
  value     BLOB    NOT NULL,
  UNIQUE (kind, key)
);

CREATE TABLE counters (
  name  TEXT    PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE repositories (
  id           INTEGER PRIMARY KEY,
  path         TEXT    NOT NULL UNIQUE,
  name         TEXT    NOT NULL,
  added_at     INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL
);

CREATE TABLE modules (
  id            INTEGER PRIMARY KEY,
  repository_id INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
  module        TEXT    NOT NULL,
  name          TEXT    NOT NULL,
  description   TEXT    NOT NULL,
  license       TEXT    NOT NULL,
  UNIQUE (repository_id, module)
);

CREATE VIRTUAL TABLE modules_fts USING fts5(
  module, name, description, license,
  content = 'modules', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER modules_fts_insert AFTER INSERT ON modules BEGIN
  INSERT INTO modules_fts (rowid, module, name, description, license)
  VALUES (new.id, new.module, new.name, new.description, new.license);
END;

CREATE TRIGGER modules_fts_delete AFTER DELETE ON modules BEGIN
  INSERT INTO modules_fts (modules_fts, rowid, module, name, description, license)
  VALUES ('delete', old.id, old.module, old.name, old.description, old.license);
END;

CREATE TRIGGER modules_fts_update AFTER UPDATE ON modules BEGIN
  INSERT INTO modules_fts (modules_fts, rowid, module, name, description, license)
  VALUES ('delete', old.id, old.module, old.name, old.description, old.license);
  INSERT INTO modules_fts (rowid, module, name, description, license)
  VALUES (new.id, new.module, new.name, new.description, new.license);
END;
)sql"},
        {2, "history index: commits, parents, co-authors, changed paths (docs/provenance.md)",
         R"sql(
CREATE TABLE history_commits (
  id               INTEGER PRIMARY KEY,
  oid              TEXT    NOT NULL UNIQUE,
  generation       INTEGER NOT NULL,
  summary          TEXT    NOT NULL,
  author_name      TEXT    NOT NULL,
  author_email     TEXT    NOT NULL,
  author_time      INTEGER NOT NULL,
  author_offset    INTEGER NOT NULL,
  committer_name   TEXT    NOT NULL,
  committer_email  TEXT    NOT NULL,
  committer_time   INTEGER NOT NULL,
  committer_offset INTEGER NOT NULL,
  parents          TEXT    NOT NULL,
  unreadable       TEXT    NOT NULL
);

CREATE TABLE history_parents (
  commit_id INTEGER NOT NULL REFERENCES history_commits(id) ON DELETE CASCADE,
  position  INTEGER NOT NULL,
  parent_id INTEGER NOT NULL REFERENCES history_commits(id) ON DELETE CASCADE,
  PRIMARY KEY (commit_id, position)
) WITHOUT ROWID;

CREATE TABLE history_coauthors (
  commit_id INTEGER NOT NULL REFERENCES history_commits(id) ON DELETE CASCADE,
  position  INTEGER NOT NULL,
  name      TEXT    NOT NULL,
  email     TEXT    NOT NULL,
  PRIMARY KEY (commit_id, position)
) WITHOUT ROWID;

CREATE TABLE history_changes (
  commit_id INTEGER NOT NULL REFERENCES history_commits(id) ON DELETE CASCADE,
  position  INTEGER NOT NULL,
  status    TEXT    NOT NULL,
  path      TEXT    NOT NULL,
  old_path  TEXT,
  old_blob  TEXT    NOT NULL,
  new_blob  TEXT    NOT NULL,
  old_size  INTEGER NOT NULL,
  new_size  INTEGER NOT NULL,
  own       INTEGER NOT NULL,
  PRIMARY KEY (commit_id, position)
) WITHOUT ROWID;

CREATE INDEX history_changes_path ON history_changes (path);
CREATE INDEX history_changes_renamed ON history_changes (old_path) WHERE old_path IS NOT NULL;
)sql"},
    };
    return migrations;
}

} // namespace telar::core
