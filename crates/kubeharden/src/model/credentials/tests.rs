//! Unit tests of credential detection.

use super::*;

fn kind(text: &str) -> Option<Kind> {
    scan_value(text).map(|h| h.kind)
}

#[test]
fn splits_names_into_words() {
    assert_eq!(words("AWS_SECRET_ACCESS_KEY"), ["aws", "secret", "access", "key"]);
    assert_eq!(words("apiKey"), ["api", "key"]);
    assert_eq!(words("APIKey"), ["api", "key"]);
    assert_eq!(words("clientSecret"), ["client", "secret"]);
    assert_eq!(words("spring.datasource.password"), ["spring", "datasource", "password"]);
    assert_eq!(words("s3Key"), ["s3", "key"]);
}

#[test]
fn credential_names() {
    for name in [
        "PASSWORD",
        "MYSQL_ROOT_PASSWORD",
        "db_pass",
        "DB_PWD",
        "password1",
        "GITHUB_TOKEN",
        "authToken",
        "api_key",
        "apiKey",
        "APIKEY",
        "x-api-key",
        "AWS_SECRET_ACCESS_KEY",
        "MINIO_SECRET_KEY",
        "client_secret",
        "clientSecret",
        "SECRET_KEY_BASE",
        "PRIVATE_KEY",
        "ssh-private-key",
        "credentials",
        "DBPASSWORD",
        "admin.password",
        "JWT_SECRET",
        "PASSWORD_B64",
        // Key material, plurals and the names secret scanners' keyword lists add.
        "OCI_CLI_KEY_CONTENT",
        "KEY_CONTENT",
        "PRIVATE_KEY_CONTENT",
        "SSH_PRIVATE_KEY_PEM",
        "privateKeyContents",
        "GCP_SA_KEY_JSON",
        "SIGNING_KEY_MATERIAL",
        "API_KEYS",
        "DB_PASSWORDS",
        "SECRETS",
        "SERVICE_KEY",
        "STORAGE_ACCOUNT_KEY",
        "AZURE_STORAGE_KEY",
        "DATABASE_KEY",
        "DEPLOY_KEY",
        "PRIVKEY",
        "APPKEY",
        "KEYPASS",
        "AUTH_JWT",
        "BEARER",
        "DB_CONTRASENA",
        "SENHA",
    ] {
        assert!(is_credential_name(name), "{name} should be a credential name");
    }
    for name in [
        "PASSWORD_FILE",
        "password_file",
        "SECRET_NAME",
        "secretName",
        "TOKEN_PATH",
        "token_url",
        "TOKEN_TTL",
        "PASSWORD_MIN_LENGTH",
        "AWS_ACCESS_KEY_ID",
        "JWT_PUBLIC_KEY",
        "ARGOCD_REDIS_KEY_PREFIX",
        "ARGOCD_APPLICATIONSET_CONTROLLER_TOKENREF_STRICT_MODE",
        "REPO_SERVER_CLIENT_CERT_KEY_PATH",
        "KEY",
        "cache-key",
        "PASSTHROUGH",
        "tokenizer",
        "secretKeyRef",
        "PASSWORD_HASH",
        "PRIVATE_KEY_ID",
        "PRIVATE_KEY_PATH",
        "PUBLIC_KEY_CONTENT",
        "CACHE_KEYS",
        "JWT_ISSUER",
        "KEY_ID",
        "",
        "__",
    ] {
        assert!(!is_credential_name(name), "{name} should not be a credential name");
    }
}

#[test]
fn keys_of_unknown_kind_need_a_random_value() {
    assert_eq!(classify_name("MAILGUN_KEY"), NameClass::Key);
    assert_eq!(classify_name("CACHE_KEY"), NameClass::Other);
    assert_eq!(classify_name("KMS_KEY"), NameClass::Other);
    assert_eq!(classify_name("API_KEY"), NameClass::Credential);
    assert!(scan_named("MAILGUN_KEY", "key-3ax6xnjp29jd6fds4gc373sgvjxteol0").is_some());
    assert!(scan_named("SENDGRID_KEY", "SG1x4Tq9ZpWc2Lr8Vb3Nm7Ke5Hd0Jf6Ga").is_some());
    assert!(scan_named("FEATURE_KEY", "checkout-v2").is_none());
    assert!(scan_named("UPLOAD_KEY", "uploads/2024/report-final.pdf").is_none());
    assert!(scan_named("ROUTING_KEY", "orders.created.v1.2024.eu").is_none());
    assert!(!looks_random("user-sessions-by-region"));
    assert!(looks_random("9f2c41d8e07a4b6f1c3d5e7a"));
}

#[test]
fn literals_placeholders_and_references() {
    for v in ["hunter2", "changeme", "s3cr3t-value", "minio123", "sst", "12345678"] {
        assert!(is_literal(v), "{v} is a literal");
    }
    for v in [
        "",
        "  ",
        "ab",
        "${DB_PASSWORD}",
        "$(DB_PASSWORD)",
        "$DB_PASSWORD",
        "$dex.github.clientSecret",
        "{{ .Values.password }}",
        "{{password}}",
        "<your-password>",
        "%PASSWORD%",
        "****",
        "xxxxxxxx",
        "[REDACTED]",
        "INSERT_ETCD_INITIAL_CLUSTER_TOKEN",
        "REPLACE_ME",
        "YOUR_API_KEY",
        "true",
        "false",
        "/etc/secrets/password",
        "./token",
        "https://vault.example.com/v1/secret/data/app",
        "ENC[AES256_GCM,data:abcd,iv:xyz]",
        "ENC(nrmZtkF7T0kjG/VodDvBw93Ct8EgjCA+)",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ] {
        assert!(!is_literal(v), "{v:?} is not a literal credential");
    }
}

#[test]
fn private_keys() {
    let body = "MIIEpAIBAAKCAQEA1nX8a7ZpOqk9gJ3qTn0c8ZxvF2bq9Y6y3mD0sKdLq9bX5P2e8v3Zc7rGQ4b1H5v9nQ2k8a6s";
    let pem = format!("-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----\n");
    let hit = scan_value(&pem).unwrap();
    assert_eq!(hit.kind, Kind::PrivateKey);
    assert_eq!(hit.display(&pem), "-----BEGIN RSA PRIVATE KEY-----");
    let openssh = format!("-----BEGIN OPENSSH PRIVATE KEY-----\n{body}\n-----END OPENSSH PRIVATE KEY-----");
    assert_eq!(kind(&openssh), Some(Kind::PrivateKey));
    let pkcs8 = format!("key: \"-----BEGIN PRIVATE KEY-----\\n{body}\\n-----END PRIVATE KEY-----\\n\"");
    assert_eq!(kind(&pkcs8), Some(Kind::PrivateKey));
    // Certificates and public keys are not secret; an empty template is not a key.
    assert_eq!(kind(&format!("-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----")), None);
    assert_eq!(kind(&format!("-----BEGIN PUBLIC KEY-----\n{body}\n-----END PUBLIC KEY-----")), None);
    assert_eq!(kind("-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----"), None);
    assert_eq!(kind("-----BEGIN PRIVATE KEY-----\n<paste your key here>\n-----END PRIVATE KEY-----"), None);
}

#[test]
fn gcp_service_account_json() {
    let body = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKjMzEfYyjiWA4R4";
    let json = format!(
        "{{\"type\": \"service_account\", \"project_id\": \"p\", \"private_key_id\": \"1\", \"private_key\": \"-----BEGIN PRIVATE KEY-----\\n{body}\\n-----END PRIVATE KEY-----\\n\"}}"
    );
    assert_eq!(kind(&json), Some(Kind::GcpServiceAccount));
}

#[test]
fn cloud_and_vendor_tokens() {
    assert_eq!(kind("AKIAZ3MSJV4WXD2NTH7Q"), Some(Kind::AwsAccessKeyId));
    assert_eq!(kind("id=ASIAZ3MSJV4WXD2NTH7Q;"), Some(Kind::AwsAccessKeyId));
    assert_eq!(kind("AKIAIOSFODNN7EXAMPLE"), None);
    assert_eq!(kind("XAKIAZ3MSJV4WXD2NTH7Q"), None);
    assert_eq!(kind("AKIAZ3MSJV4WXD2NTH7QQ"), None);
    assert_eq!(kind(concat!("gh", "p_1A2b3C4d5E6f7G8h9I0jK1lM2nO3pQ4rS5tU")), Some(Kind::GitHubToken));
    assert_eq!(kind(concat!("github", "_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz")), Some(Kind::GitHubToken));
    assert_eq!(kind("ghp_short"), None);
    assert_eq!(kind(concat!("gl", "pat-AbCdEfGhIjKlMnOpQrSt")), Some(Kind::GitLabToken));
    assert_eq!(kind(concat!("xo", "xb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx")), Some(Kind::SlackToken));
    assert_eq!(
        kind(concat!("https://hooks.slack.com/services/", "T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX")),
        Some(Kind::SlackWebhook)
    );
    assert_eq!(kind(concat!("AI", "zaSyD-1234567890abcdefghijklmnopqrstu")), Some(Kind::GoogleApiKey));
    assert_eq!(kind(concat!("sk_", "live_4eC39HqLyjWDarjtT1zdp7dc")), Some(Kind::StripeKey));
    assert_eq!(kind(concat!("np", "m_abcdefghijklmnopqrstuvwxyz0123456789")), Some(Kind::NpmToken));
}

#[test]
fn jwts() {
    let token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
    let hit = scan_value(&format!("Bearer {token}")).unwrap();
    assert_eq!(hit.kind, Kind::Jwt);
    assert_eq!(hit.display(&format!("Bearer {token}")), "eyJh********");
    assert_eq!(kind("eyJhbGciOiJIUzI1NiJ9"), None);
}

#[test]
fn urls_with_passwords() {
    let url = "postgres://app:s3cr3tpw@db.shop.svc:5432/orders";
    let hit = scan_value(url).unwrap();
    assert_eq!(hit.kind, Kind::UrlPassword);
    assert_eq!(hit.display(url), "postgres://app:********@db.shop.svc:5432");
    assert!(!hit.describe(url).contains("s3cr3tpw"));
    assert_eq!(kind("redis://:hunter22@redis:6379/0"), Some(Kind::UrlPassword));
    for safe in [
        "postgres://app@db:5432/orders",
        "postgres://app:${DB_PASSWORD}@db:5432/orders",
        "postgres://app:$(DB_PASSWORD)@db:5432/orders",
        "https://user:<password>@git.example.com/repo.git",
        "https://user:****@git.example.com/repo.git",
        "https://github.com/org/repo",
        "git@github.com:org/repo.git",
        "http://[::1]:8080/",
    ] {
        assert_eq!(kind(safe), None, "{safe}");
    }
}

#[test]
fn named_literals() {
    let hit = scan_named("DB_PASSWORD", "changeme").unwrap();
    assert_eq!((hit.kind, hit.weak), (Kind::Named, true));
    assert_eq!(hit.display("changeme"), "********");
    assert!(scan_named("DB_PASSWORD", "${DB_PASSWORD}").is_none());
    assert!(scan_named("DB_PASSWORD", "").is_none());
    assert!(scan_named("DB_HOST", "hunter2").is_none());
    assert_eq!(scan_named("NOTE", "AKIAZ3MSJV4WXD2NTH7Q").map(|h| h.kind), Some(Kind::AwsAccessKeyId));
}

#[test]
fn masks_never_show_short_secrets() {
    assert_eq!(mask("hunter2"), "********");
    assert_eq!(mask("AKIAZ3MSJV4WXD2NTH7Q"), "AKIA********");
}

#[test]
fn embedded_assignments() {
    let props = "spring.datasource.url=jdbc:mysql://db/app\nspring.datasource.password=hunter22\n";
    let hit = scan_text(props).unwrap();
    assert_eq!(hit.kind, Kind::Named);
    assert_eq!(hit.name.as_deref(), Some("spring.datasource.password"));
    assert_eq!(hit.text(props), "hunter22");
    let json = "{\n  \"user\": \"app\",\n  \"password\": \"hunter22\",\n}";
    assert_eq!(scan_text(json).map(|h| h.text(json).to_owned()), Some("hunter22".to_owned()));
    let yaml = "db:\n  password: 'hunter22'\n";
    assert_eq!(scan_text(yaml).map(|h| h.text(yaml).to_owned()), Some("hunter22".to_owned()));
    for safe in [
        "password_file: /etc/app/password\n",
        "bearer_token_file: /var/run/secrets/kubernetes.io/serviceaccount/token\n",
        "# password: hunter22\n",
        "password: ${DB_PASSWORD}\n",
        "clientSecret: $dex.github.clientSecret\n",
        "credentials:\n  - name: x\n",
        "password:\n",
        "The password is: hunter22\n",
        "token: \"\"\n",
        "secret: true\n",
    ] {
        assert_eq!(scan_text(safe), None, "{safe:?}");
    }
}

#[test]
fn decodes_base64() {
    assert_eq!(decode_base64("aHVudGVyMg==").as_deref(), Some(&b"hunter2"[..]));
    assert_eq!(decode_base64("c2hvcA==\n").as_deref(), Some(&b"shop"[..]));
    assert_eq!(decode_base64("").as_deref(), Some(&b""[..]));
    assert_eq!(decode_base64("not base64!"), None);
    assert_eq!(decode_base64("ab=c"), None);
}

/// Every prefix, suffix and window of a text full of near-misses: no panic, and every hit
/// is a valid range of the text it came from.
#[test]
fn hits_are_valid_ranges_of_any_slice() {
    let text = "é -----BEGIN RSA PRIVATE KEY-----\\nMIIE== eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig \
                postgres://ü:pässwörd@höst/db AKIAZ3MSJV4WXD2NTH7Q ghp_ 😀 password = 'hunter22', \
                \"token\": \"abc\" ://@ :x@ key=";
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for &(i, _) in &chars {
        let ends = chars.iter().map(|&(j, _)| j).filter(|&j| j > i).take(60).chain([text.len()]);
        for j in ends {
            let slice = &text[i..j];
            for hit in [scan_text(slice), scan_named("PASSWORD", slice)].into_iter().flatten() {
                assert!(hit.start <= hit.end && slice.get(hit.start..hit.end).is_some(), "{slice:?}: {hit:?}");
                let _ = hit.describe(slice);
            }
        }
    }
}

#[test]
fn never_panics_on_odd_text() {
    for text in [
        "-----BEGIN ",
        "-----BEGIN PRIVATE KEY-----",
        "eyJ",
        "eyJaaaaaaaaaaaa.",
        "://",
        "a://b@",
        "x:",
        "=",
        "é://ü:ö@ä",
        "AKIA",
    ] {
        let _ = scan_text(text);
        let _ = scan_named("PASSWORD", text);
    }
}
