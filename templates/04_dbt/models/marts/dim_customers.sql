{{ config(materialized='table') }}

-- One row per customer with lifetime order figures; returned orders earn nothing.
select
    c.customer_id,
    c.customer_name,
    c.city,
    c.signup_date,
    count(f.order_id) as order_count,
    cast(coalesce(sum(case when f.status <> 'returned' then f.amount end), 0) as decimal(12, 2)) as lifetime_revenue,
    min(f.order_date) as first_order_date
from {{ ref('stg_customers') }} as c
left join {{ ref('fct_orders') }} as f on f.customer_id = c.customer_id
group by c.customer_id, c.customer_name, c.city, c.signup_date
