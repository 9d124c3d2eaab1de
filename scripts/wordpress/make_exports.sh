#!/usr/bin/env bash
# Make real WordPress exports (WXR) for the import_wordpress tests.
#
# Installs a throw-away WordPress (Debian's `wordpress` package, PHP, MariaDB),
# fills it through WordPress's own PHP API (populate.php) and writes the
# exports with WordPress's own export_wp() into tests/data/wordpress/real/:
#
#   site.xml      the whole site (Tools -> Export -> All content)
#   split-1.xml   posts dated up to February 2024   (Export -> Posts, date range)
#   split-2.xml   posts dated from March 2024 on    (Export -> Posts, date range)
#   uploads/      a copy of wp-content/uploads (originals and generated sizes)
#
# Re-runnable: drops its database and its work directory first. Needs root
# (it writes /etc/wordpress/config-<host>.php, which is how Debian's WordPress
# picks its configuration). The tests only read the committed files; they
# need neither PHP nor MariaDB.
#
# Environment (all optional):
#   WP_HOST      host name of the old site        (default wp.digest.test)
#   WP_DB        throw-away database name         (default digest_wp_export)
#   WP_DB_HOST   MariaDB address                  (default 127.0.0.1:3306; user root, no password)
#   WP_WORK      work directory (wp-content)      (default /tmp/digest-wp-export)
#   WP_KEEP=1    keep the database, the work directory and the config afterwards
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out="$repo/tests/data/wordpress/real"

host=${WP_HOST:-wp.digest.test}
db=${WP_DB:-digest_wp_export}
db_host=${WP_DB_HOST:-127.0.0.1:3306}
work=${WP_WORK:-/tmp/digest-wp-export}
config="/etc/wordpress/config-${host}.php"

for need in php mysql; do
    command -v "$need" >/dev/null || { echo "make_exports: '$need' is missing (apt-get install wordpress php-fpm php-mysql php-gd mariadb-client)" >&2; exit 2; }
done
[ -f /usr/share/wordpress/wp-load.php ] || { echo "make_exports: Debian's wordpress package is not installed" >&2; exit 2; }
php -r 'exit(function_exists("imagecreatetruecolor") && function_exists("mysqli_connect") ? 0 : 1);' \
    || { echo "make_exports: PHP needs the gd and mysqli extensions (php-gd, php-mysql)" >&2; exit 2; }

mysql_cmd=(mysql -h "${db_host%:*}" -P "${db_host##*:}" -u root)

echo "make_exports: fresh database $db and work directory $work"
"${mysql_cmd[@]}" -e "DROP DATABASE IF EXISTS \`$db\`; CREATE DATABASE \`$db\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci"
rm -rf "$work"
mkdir -p "$work/wp-content/uploads" "$work/wp-content/plugins" "$work/wp-content/upgrade"
ln -s /usr/share/wordpress/wp-content/themes "$work/wp-content/themes"
ln -s /usr/share/wordpress/wp-content/languages "$work/wp-content/languages"

# Fixed keys and salts: nothing secret lives in this throw-away site.
mkdir -p /etc/wordpress
cat >"$config" <<PHP
<?php
// Written by Digest's scripts/wordpress/make_exports.sh: a throw-away site for test exports.
define('DB_NAME', '$db');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', '$db_host');
define('DB_CHARSET', 'utf8mb4');
define('WP_HOME', 'https://$host');
define('WP_SITEURL', 'https://$host');
define('WP_CONTENT_DIR', '$work/wp-content');
define('WP_CONTENT_URL', 'https://$host/wp-content');
define('DISABLE_WP_CRON', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_DEBUG', false);
foreach (array('AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY',
               'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT') as \$k) {
    define(\$k, 'digest-test-export-' . \$k);
}
\$table_prefix = 'wp_';
PHP

export WP_EXPORT_HOST="$host"
echo "make_exports: wp_install"
php "$here/populate.php" install
echo "make_exports: populate"
php "$here/populate.php" populate
echo "make_exports: export_wp -> $out"
rm -rf "$out"
mkdir -p "$out"
for part in site split-1 split-2; do
    php "$here/populate.php" export "$out" "$part"
done
cp -a "$work/wp-content/uploads" "$out/uploads"
rm -f "$out/uploads/.htaccess" "$out/uploads/index.php"

# The old site answering: nginx + php-fpm serve it on loopback and every address WordPress
# links to is asked for once; addresses.tsv says what WordPress answered (the redirects the
# tests can compare with Digest's). Skipped without nginx or php-fpm.
fpm=$(ls /usr/sbin/php-fpm* 2>/dev/null | head -n 1 || true)
nginx=$(command -v nginx || echo /usr/sbin/nginx)
if [ -n "$fpm" ] && [ -x "$nginx" ] && command -v curl >/dev/null; then
    port=${WP_PORT:-8791}
    mkdir -p "$work/nginx"
    cat >"$work/php-fpm.conf" <<CONF
[global]
pid = $work/php-fpm.pid
error_log = $work/php-fpm.log
daemonize = no
[site]
user = www-data
group = www-data
listen = $work/php-fpm.sock
listen.mode = 0666
pm = static
pm.max_children = 2
CONF
    cat >"$work/nginx.conf" <<CONF
user www-data;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events {}
http {
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path $work/nginx/body;
    fastcgi_temp_path $work/nginx/fastcgi;
    proxy_temp_path $work/nginx/proxy;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    server {
        listen 127.0.0.1:$port;
        server_name $host;
        root /usr/share/wordpress;
        index index.php;
        location /wp-content/ { alias $work/wp-content/; }
        location / { try_files \$uri \$uri/ /index.php?\$args; }
        location ~ \\.php\$ {
            include /etc/nginx/fastcgi_params;
            fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
            # The site's address is https://$host (no port): WordPress sees that request.
            fastcgi_param HTTPS on;
            fastcgi_pass unix:$work/php-fpm.sock;
        }
    }
}
CONF
    "$fpm" -F -y "$work/php-fpm.conf" &
    fpm_pid=$!
    "$nginx" -c "$work/nginx.conf" -g "daemon off;" &
    nginx_pid=$!
    trap 'kill $fpm_pid $nginx_pid 2>/dev/null || true' EXIT
    for _ in $(seq 50); do
        curl -s -o /dev/null -H "Host: $host" "http://127.0.0.1:$port/" && break
        sleep 0.2
    done
    echo "make_exports: asking the running site for every address -> $out/addresses.tsv"
    {
        printf 'path\twhat\tstatus\tlocation\n'
        php "$here/populate.php" addresses | while IFS=$'\t' read -r path what; do
            answer=$(curl -s -o /dev/null -H "Host: $host" -w '%{http_code}\t%{redirect_url}' "http://127.0.0.1:$port$path")
            printf '%s\t%s\t%s\n' "$path" "$what" "$answer"
        done
    } >"$out/addresses.tsv"
    kill $fpm_pid $nginx_pid
    wait $fpm_pid $nginx_pid 2>/dev/null || true
    trap - EXIT
else
    echo "make_exports: no nginx/php-fpm/curl: addresses.tsv not made"
fi

if [ "${WP_KEEP:-0}" != 1 ]; then
    "${mysql_cmd[@]}" -e "DROP DATABASE IF EXISTS \`$db\`"
    rm -rf "$work" "$config"
fi

echo "make_exports: done"
ls -l "$out"
du -sh "$out/uploads"
