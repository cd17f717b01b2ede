//! The four programs' ids, declared once: interface crates re-export them, and a program
//! that must know another's id (to derive its PDAs on-chain) reads it here, with no
//! dependency cycle between interfaces. `npm run keys:sync` rewrites this file.

/// `media_staking`.
pub mod media_staking {
    crate::declare_id!("FdtD21exvzogaaCyw3d2mUqQeibZsSArjipz47hXd36a");
}

/// `media_bandwidth`.
pub mod media_bandwidth {
    crate::declare_id!("22yQ9LcLAdo8GTWB5ExyPcnNMFE15P7X7fGJ2ziv4e7X");
}

/// `media_treasury`.
pub mod media_treasury {
    crate::declare_id!("8f6ihxfa7xukqcQ97JaPyN5aAPKebnDeqPCSbGSbxhGQ");
}

/// `media_governance`.
pub mod media_governance {
    crate::declare_id!("E2KczRUS2iFkn2CeABsoL87NWGr95KU285jctNcngSzY");
}
