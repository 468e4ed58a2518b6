-- Copy k of generated articles, for archive-size benchmarks (bench/archive.py):
--   psql -d newsroom_1m -v k=2 -v lo=FIRST_ID -v hi=LAST_ID -f bench/archive_copy.sql
-- Articles lo..hi come again under new ids, slugs ("…--k") and duplicate keys ("…#k"),
-- published k × 37 minutes earlier, with the same text, section, tags, places and search
-- vector: a large archive in minutes where generate_articles needs hours. One
-- transaction, without triggers. Faster still with the GIN index dropped before the
-- copies and created again after them. docs/deployment.md ("Measured at 1,000,000
-- articles") lists the whole build.
\set ON_ERROR_STOP on
\timing on
BEGIN;
-- No triggers (cache keys, content version, deferred foreign-key checks): the copied rows
-- reference what their originals do, and a benchmark database needs no cache keys.
SET LOCAL session_replication_role = replica;
CREATE TEMP TABLE copy_map ON COMMIT DROP AS
  SELECT id AS old_id, nextval(pg_get_serial_sequence('articles_article', 'id')) AS new_id
  FROM articles_article WHERE id BETWEEN :lo AND :hi;
INSERT INTO articles_article (id, kicker, title, slug, kind, published_at, lead, body,
  image_caption, image_credit, author_initials, status, teaser_only, duplicate_key,
  edited_fields, created_at, updated_at, section_id, image, image_alt, search_vector, corrected_at)
SELECT m.new_id, a.kicker, a.title, left(a.slug, 240) || '--' || :k, a.kind,
  a.published_at - make_interval(mins => 37 * :k), a.lead, a.body, a.image_caption, a.image_credit,
  a.author_initials, a.status, a.teaser_only, a.duplicate_key || '#' || :k, a.edited_fields,
  now(), now(), a.section_id, a.image, a.image_alt, a.search_vector, a.corrected_at
FROM articles_article a JOIN copy_map m ON m.old_id = a.id;
INSERT INTO articles_taggedarticle (content_object_id, tag_id)
  SELECT m.new_id, t.tag_id FROM articles_taggedarticle t JOIN copy_map m ON m.old_id = t.content_object_id;
INSERT INTO articles_article_municipalities (article_id, municipality_id)
  SELECT m.new_id, x.municipality_id FROM articles_article_municipalities x JOIN copy_map m ON m.old_id = x.article_id;
COMMIT;
