-- Foundation (PostgreSQL twin of the SQLite migration of the same name).
CREATE TABLE users (
    id UUID PRIMARY KEY NOT NULL,
    email TEXT NOT NULL,
    email_lower TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id UUID PRIMARY KEY NOT NULL,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT
);

CREATE TABLE customers (
    id UUID PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    name_lower TEXT NOT NULL UNIQUE,
    domain TEXT,
    arr BIGINT NOT NULL,
    segment TEXT NOT NULL,
    owner_id UUID REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX customers_arr ON customers(arr, id);

CREATE TABLE contacts (
    id UUID PRIMARY KEY NOT NULL,
    customer_id UUID NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    email TEXT,
    title TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX contacts_customer ON contacts(customer_id, id);

CREATE TABLE areas (
    id UUID PRIMARY KEY NOT NULL,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE notes (
    id UUID PRIMARY KEY NOT NULL,
    text TEXT NOT NULL,
    source TEXT NOT NULL,
    importance TEXT NOT NULL,
    customer_id UUID REFERENCES customers(id) ON DELETE SET NULL,
    contact_id UUID REFERENCES contacts(id) ON DELETE SET NULL,
    reporter_id UUID REFERENCES users(id) ON DELETE SET NULL,
    tags TEXT NOT NULL,
    public_safe BOOLEAN NOT NULL,
    state TEXT NOT NULL,
    wont_do_reason TEXT,
    underlying_need TEXT,
    workaround TEXT,
    processed_by UUID REFERENCES users(id) ON DELETE SET NULL,
    processed_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX notes_state ON notes(state, id);
CREATE INDEX notes_source ON notes(source, id);
CREATE INDEX notes_customer ON notes(customer_id, id);

CREATE TABLE note_tags (
    note_id UUID NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (note_id, tag)
);
CREATE INDEX note_tags_tag ON note_tags(tag, note_id);

CREATE TABLE ideas (
    id UUID PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    title_lower TEXT NOT NULL,
    problem TEXT NOT NULL,
    proposal TEXT NOT NULL,
    area_id UUID REFERENCES areas(id) ON DELETE SET NULL,
    owner_id UUID REFERENCES users(id) ON DELETE SET NULL,
    status TEXT NOT NULL,
    effort_months DOUBLE PRECISION,
    timeframe TEXT,
    due_date TEXT,
    labels TEXT NOT NULL,
    tracker_links TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX ideas_area ON ideas(area_id, id);
CREATE INDEX ideas_status ON ideas(status, id);
CREATE INDEX ideas_title ON ideas(title_lower, id);
CREATE INDEX ideas_updated ON ideas(updated_at, id);

CREATE TABLE idea_labels (
    idea_id UUID NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    PRIMARY KEY (idea_id, label)
);
CREATE INDEX idea_labels_label ON idea_labels(label, idea_id);

CREATE TABLE links (
    id UUID PRIMARY KEY NOT NULL,
    note_id UUID NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    idea_id UUID NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
    excerpt TEXT,
    created_by UUID REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (note_id, idea_id)
);
CREATE INDEX links_idea ON links(idea_id, note_id);

CREATE TABLE comments (
    id UUID PRIMARY KEY NOT NULL,
    idea_id UUID NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
    author_id UUID REFERENCES users(id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX comments_idea ON comments(idea_id, id);

CREATE TABLE followers (
    idea_id UUID NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (idea_id, user_id)
);

CREATE TABLE activity (
    id UUID PRIMARY KEY NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id UUID NOT NULL,
    actor_id UUID REFERENCES users(id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT,
    at BIGINT NOT NULL
);
CREATE INDEX activity_entity ON activity(entity_id, id);
