-- Prioritisation (PostgreSQL twin of the SQLite migration of the same name).
ALTER TABLE ideas ADD COLUMN rice_reach DOUBLE PRECISION;
ALTER TABLE ideas ADD COLUMN rice_impact DOUBLE PRECISION;
ALTER TABLE ideas ADD COLUMN rice_confidence DOUBLE PRECISION;
ALTER TABLE ideas ADD COLUMN rice_score DOUBLE PRECISION;
ALTER TABLE ideas ADD COLUMN rice_reach_mode TEXT;
-- The score, or -1 while unscored: a NULL-free sort key, because the two
-- engines disagree on where NULLs sort.
ALTER TABLE ideas ADD COLUMN rice_sort DOUBLE PRECISION NOT NULL DEFAULT -1;
ALTER TABLE ideas ADD COLUMN demand_score DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE ideas ADD COLUMN board_rank TEXT COLLATE "C"; -- byte order, as SQLite compares, so fractional ranks sort the same
CREATE INDEX ideas_rice ON ideas(rice_sort, id);
CREATE INDEX ideas_area_rice ON ideas(area_id, rice_sort, id);
CREATE INDEX ideas_demand ON ideas(demand_score, id);
CREATE INDEX ideas_area_demand ON ideas(area_id, demand_score, id);
CREATE UNIQUE INDEX ideas_area_rank ON ideas(area_id, board_rank);

CREATE TABLE settings (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE rice_exercises (
    id UUID PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    created_by UUID REFERENCES users(id) ON DELETE SET NULL,
    state TEXT NOT NULL,
    reach_mode TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    closed_at BIGINT
);

CREATE TABLE rice_exercise_ideas (
    exercise_id UUID NOT NULL REFERENCES rice_exercises(id) ON DELETE CASCADE,
    idea_id UUID NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
    PRIMARY KEY (exercise_id, idea_id)
);

CREATE TABLE rice_exercise_participants (
    exercise_id UUID NOT NULL REFERENCES rice_exercises(id) ON DELETE CASCADE,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    submitted_at BIGINT,
    PRIMARY KEY (exercise_id, user_id)
);

CREATE TABLE rice_scorecards (
    exercise_id UUID NOT NULL REFERENCES rice_exercises(id) ON DELETE CASCADE,
    idea_id UUID NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    reach DOUBLE PRECISION NOT NULL,
    impact DOUBLE PRECISION NOT NULL,
    confidence DOUBLE PRECISION NOT NULL,
    effort_months DOUBLE PRECISION NOT NULL,
    score DOUBLE PRECISION NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (exercise_id, idea_id, user_id)
);

CREATE TABLE prio_sessions (
    id UUID PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    milestone TEXT NOT NULL,
    facilitator_id UUID REFERENCES users(id) ON DELETE SET NULL,
    state TEXT NOT NULL,
    max_nominations BIGINT NOT NULL,
    importance_votes BIGINT NOT NULL,
    feasibility_votes BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    closed_at BIGINT
);

CREATE TABLE prio_participants (
    session_id UUID NOT NULL REFERENCES prio_sessions(id) ON DELETE CASCADE,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    nominations_used BIGINT NOT NULL,
    importance_used BIGINT NOT NULL,
    feasibility_used BIGINT NOT NULL,
    PRIMARY KEY (session_id, user_id)
);

CREATE TABLE prio_nominations (
    session_id UUID NOT NULL REFERENCES prio_sessions(id) ON DELETE CASCADE,
    idea_id UUID NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
    nominated_by UUID REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (session_id, idea_id)
);

CREATE TABLE prio_votes (
    id UUID PRIMARY KEY NOT NULL,
    session_id UUID NOT NULL REFERENCES prio_sessions(id) ON DELETE CASCADE,
    idea_id UUID NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX prio_votes_session ON prio_votes(session_id, idea_id);
CREATE INDEX prio_votes_user ON prio_votes(session_id, user_id);
