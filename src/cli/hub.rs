//! `tongtin hub org|user …`: organisations and users of a hub's store.

use std::io::BufRead;

use tongtin::hub::auth::{hash_password, valid_org_code, valid_user_name};
use tongtin::hub::{HubError, Role};

use super::exit::{self, Failure};
use super::serve::{config, open_store, store_failure, ServeFlags};

/// The shortest password accepted.
const MIN_PASSWORD: usize = 8;

pub enum Action {
    OrgAdd {
        code: String,
        name: String,
    },
    OrgList {
        json: bool,
    },
    UserAdd {
        name: String,
        org: String,
        role: String,
        password_env: Option<String>,
    },
    UserList {
        json: bool,
    },
    UserRemove {
        name: String,
        org: String,
    },
}

pub fn run(flags: ServeFlags, action: Action) -> Result<u8, Failure> {
    let config = config(flags)?;
    let url = config.store.clone();
    let fail = |e: HubError| match e {
        HubError::NotFound(m) => Failure::new(exit::USAGE, format!("no {m} in {url}")),
        HubError::Exists(m) => Failure::new(exit::WRITE_FAILED, format!("{m} already exists in {url}")),
        e => store_failure(&url, e),
    };
    match action {
        Action::OrgAdd { code, name } => {
            if !valid_org_code(&code) {
                return Err(Failure::new(
                    exit::USAGE,
                    format!("'{code}' is not an organisation code: 1 to 40 of a-z, 0-9 and -, not starting with -"),
                ));
            }
            let store = open_store(&config.store)?;
            store.add_org(&code, &name).map_err(fail)?;
            say!("created organisation {code} ({name})");
        }
        Action::OrgList { json } => {
            let orgs = open_store(&config.store)?.orgs().map_err(fail)?;
            if json {
                say!("{}", serde_json::to_string_pretty(&orgs).unwrap_or_default());
            } else {
                say!("code\tname\tmodel_version\tlast_seq");
                for o in orgs {
                    say!("{}\t{}\t{}\t{}", o.code, o.name, o.model_version, o.last_seq);
                }
            }
        }
        Action::UserAdd {
            name,
            org,
            role,
            password_env,
        } => {
            let role: Role = role.parse().map_err(|e| Failure::new(exit::USAGE, e))?;
            if !valid_user_name(&name) {
                return Err(Failure::new(
                    exit::USAGE,
                    format!("'{name}' is not a user name: 1 to 64 characters, no spaces"),
                ));
            }
            let password = read_password(password_env.as_deref())?;
            let store = open_store(&config.store)?;
            let hash = hash_password(&password).map_err(fail)?;
            store.add_user(&org, &name, role, &hash).map_err(fail)?;
            say!("user {name} is {role} of {org}");
        }
        Action::UserList { json } => {
            let users = open_store(&config.store)?.users().map_err(fail)?;
            if json {
                say!("{}", serde_json::to_string_pretty(&users).unwrap_or_default());
            } else {
                say!("org\tuser\trole");
                for u in users {
                    say!("{}\t{}\t{}", u.org, u.user, u.role);
                }
            }
        }
        Action::UserRemove { name, org } => {
            let store = open_store(&config.store)?;
            if !store.remove_user(&org, &name).map_err(fail)? {
                return Err(Failure::new(exit::USAGE, format!("{org} has no user {name}")));
            }
            say!("removed user {name} from {org}; its sessions are closed");
        }
    }
    Ok(exit::OK)
}

/// The password from the environment variable named, else one line of stdin.
fn read_password(var: Option<&str>) -> Result<String, Failure> {
    let password = match var {
        Some(var) => std::env::var(var)
            .map_err(|_| Failure::new(exit::USAGE, format!("the environment variable {var} is not set")))?,
        None => {
            eprintln!("password (one line on standard input):");
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(|e| Failure::new(exit::BAD_INPUT, format!("cannot read the password: {e}")))?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    if password.chars().count() < MIN_PASSWORD {
        return Err(Failure::new(
            exit::USAGE,
            format!("the password must have at least {MIN_PASSWORD} characters"),
        ));
    }
    Ok(password)
}
