-- 0008: drops cluster_members, grain_state and reminders, the tables of the actor runtime this project
-- carried before it moved onto Orleans (0001-0003 now create Orleans' tables). No deployment ran that
-- runtime in production, so their rows are not carried over.
DROP TABLE IF EXISTS cluster_members;
DROP TABLE IF EXISTS grain_state;
DROP TABLE IF EXISTS reminders;
