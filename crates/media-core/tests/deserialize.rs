//! The entrypoint's account walk (`ix::deserialize`) against inputs laid out as the SBPF v0
//! loader serializes them: accounts of several data lengths, duplicates, and more accounts
//! than the program keeps views for.
#![allow(clippy::arithmetic_side_effects)] // test layout arithmetic on small sizes

use core::mem::MaybeUninit;
use media_core::ix::deserialize;
use media_core::{AccountView, Address};
use pinocchio::account::MAX_PERMITTED_DATA_INCREASE;

/// One account of the serialized input.
enum Input {
    /// A first occurrence: its key and data.
    Account(u8, Vec<u8>),
    /// A duplicate of the account at this index.
    Duplicate(u8),
}

/// Serializes `accounts`, `data` and `program_id` as the loader does (aligned layout).
fn serialize(accounts: &[Input], data: &[u8], program_id: &Address) -> Vec<u64> {
    let mut bytes = (accounts.len() as u64).to_le_bytes().to_vec();
    for account in accounts {
        match account {
            Input::Account(key, account_data) => {
                bytes.extend_from_slice(&[0xff, 1, 1, 0, 0, 0, 0, 0]);
                bytes.extend_from_slice(&[*key; 32]);
                bytes.extend_from_slice(&[0xee; 32]);
                bytes.extend_from_slice(&1_000u64.to_le_bytes());
                bytes.extend_from_slice(&(account_data.len() as u64).to_le_bytes());
                bytes.extend_from_slice(account_data);
                bytes.resize(bytes.len() + MAX_PERMITTED_DATA_INCREASE, 0);
                bytes.resize(bytes.len().next_multiple_of(8), 0);
                bytes.extend_from_slice(&u64::MAX.to_le_bytes());
            }
            Input::Duplicate(index) => bytes.extend_from_slice(&[*index, 0, 0, 0, 0, 0, 0, 0]),
        }
    }
    bytes.extend_from_slice(&(data.len() as u64).to_le_bytes());
    bytes.extend_from_slice(data);
    bytes.extend_from_slice(program_id.as_ref());
    bytes.resize(bytes.len().next_multiple_of(8), 0);
    // u64 words: the loader's input region is 8-byte aligned.
    bytes
        .chunks_exact(8)
        .map(|word| u64::from_le_bytes(word.try_into().unwrap()))
        .collect()
}

/// Each kept view's key (its first byte) and data.
type Views = Vec<(u8, Vec<u8>)>;

/// Walks `input` keeping at most `N` views: the program id, the views and the data.
fn walk<const N: usize>(input: &mut [u64]) -> (Address, Views, Vec<u8>) {
    let mut views = [const { MaybeUninit::<AccountView>::uninit() }; N];
    // SAFETY: `input` is a serialized input built by `serialize`, alive during the walk.
    let (program_id, count, data) =
        unsafe { deserialize(input.as_mut_ptr() as *mut u8, &mut views) };
    let kept = views[..count]
        .iter()
        .map(|view| {
            // SAFETY: `deserialize` initialized the first `count` views.
            let view = unsafe { view.assume_init_ref() };
            // SAFETY: nothing borrows the account data mutably here.
            let bytes = unsafe { view.borrow_unchecked() };
            (view.address().as_ref()[0], bytes.to_vec())
        })
        .collect();
    (*program_id, kept, data.to_vec())
}

const PROGRAM: Address = Address::new_from_array([9; 32]);

#[test]
fn deserialize_reads_accounts_of_any_data_length_then_data_and_program_id() {
    let accounts = [
        Input::Account(1, vec![]),
        Input::Account(2, vec![7; 3]),
        Input::Account(3, vec![8; 165]),
        Input::Account(4, vec![5; 8]),
        Input::Account(5, vec![6; 1]),
        Input::Account(6, vec![4; 82]),
        Input::Account(7, vec![3; 17]),
    ];
    let mut input = serialize(&accounts, &[1, 2, 3, 4, 5], &PROGRAM);
    let (program_id, kept, data) = walk::<8>(&mut input);
    assert_eq!(program_id, PROGRAM);
    assert_eq!(data, vec![1, 2, 3, 4, 5]);
    let expected: Vec<(u8, Vec<u8>)> = accounts
        .iter()
        .map(|account| match account {
            Input::Account(key, data) => (*key, data.clone()),
            Input::Duplicate(_) => unreachable!(),
        })
        .collect();
    assert_eq!(kept, expected);
}

#[test]
fn deserialize_resolves_duplicates_to_the_account_they_name() {
    let accounts = [
        Input::Account(1, vec![1; 9]),
        Input::Account(2, vec![2; 2]),
        Input::Duplicate(0),
        Input::Account(3, vec![]),
        Input::Duplicate(1),
        Input::Duplicate(3),
    ];
    let mut input = serialize(&accounts, &[42; 16], &PROGRAM);
    let (program_id, kept, data) = walk::<8>(&mut input);
    assert_eq!((program_id, data), (PROGRAM, vec![42; 16]));
    let keys: Vec<u8> = kept.iter().map(|(key, _)| *key).collect();
    assert_eq!(keys, vec![1, 2, 1, 3, 2, 3]);
    assert_eq!(kept[2].1, vec![1; 9]);
}

#[test]
fn deserialize_skips_accounts_past_its_capacity_and_still_finds_the_data() {
    let accounts = [
        Input::Account(1, vec![1; 3]),
        Input::Account(2, vec![]),
        Input::Duplicate(0),
        Input::Account(3, vec![3; 100]),
        Input::Duplicate(3),
        Input::Account(4, vec![4; 7]),
    ];
    let mut input = serialize(&accounts, &[7; 24], &PROGRAM);
    let (program_id, kept, data) = walk::<2>(&mut input);
    assert_eq!((program_id, data), (PROGRAM, vec![7; 24]));
    let keys: Vec<u8> = kept.iter().map(|(key, _)| *key).collect();
    assert_eq!(keys, vec![1, 2]);
}

#[test]
fn deserialize_reads_an_input_without_accounts() {
    let mut input = serialize(&[], &[], &PROGRAM);
    let (program_id, kept, data) = walk::<4>(&mut input);
    assert_eq!((program_id, kept, data), (PROGRAM, vec![], vec![]));
}

#[test]
fn deserialize_without_views_skips_every_account_and_still_finds_the_data() {
    let accounts = [
        Input::Account(1, vec![1; 40]),
        Input::Duplicate(0),
        Input::Account(2, vec![2; 5]),
    ];
    let mut input = serialize(&accounts, &[3; 9], &PROGRAM);
    let (program_id, kept, data) = walk::<0>(&mut input);
    assert_eq!((program_id, kept, data), (PROGRAM, vec![], vec![3; 9]));
}
