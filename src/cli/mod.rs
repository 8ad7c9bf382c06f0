mod bench;
mod demo;
mod exit;
mod info;
mod migrate;
mod progress;
mod validate;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Tongtin (ท้องถิ่น): GeoPackage inventory of a Thai municipality's public works.
#[derive(Parser)]
#[command(name = "tongtin", version, about, long_about = None)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List every layer: kind, geometry type, Z/M, SRS, count and extent.
    Info {
        file: PathBuf,
        /// Print one JSON document instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Check the file against GeoPackage rules and the Tongtin data model;
    /// exit 0 when it conforms, 1 with every problem listed when not.
    Validate { file: PathBuf },
    /// Generate the demo municipality (tambon Non Sa-At) into a new file.
    Demo {
        out: PathBuf,
        /// Seed of the generator: the same seed gives the same data.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Lay out this many towns side by side (333 gives about 1,000,000 poles).
        #[arg(long, default_value_t = 1)]
        scale: u32,
        /// EPSG code of the layers.
        #[arg(long, default_value_t = 32648)]
        srs: i32,
        /// Replace OUT if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Bring a Tongtin file up to the current data model version.
    Migrate { file: PathBuf },
    /// Measure the core against GDAL on generated data (figures for docs/PERFORMANCE.md).
    Bench {
        /// Towns in the data set (333 gives about 1,000,000 poles and 200,000 road sections).
        #[arg(long, default_value_t = 333)]
        scale: u32,
        /// Where to write the data sets (several GB at full scale).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
}

pub fn run() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(a) => a,
        Err(e) => {
            let code = if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let outcome = match args.command {
        Command::Info { file, json } => info::run(&file, json),
        Command::Validate { file } => validate::run(&file),
        Command::Demo {
            out,
            seed,
            scale,
            srs,
            force,
        } => demo::run(&out, seed, scale, srs, force),
        Command::Migrate { file } => migrate::run(&file),
        Command::Bench { scale, dir } => bench::run(&dir.unwrap_or_else(bench::default_dir), scale),
    };
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(f) => f.exit(),
    }
}
