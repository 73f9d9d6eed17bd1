-- Sign-out everywhere survives restarts: access tokens issued before this instant are refused.
ALTER TABLE `users` ADD COLUMN `sessions_revoked_at` DATETIME(3) NULL;
